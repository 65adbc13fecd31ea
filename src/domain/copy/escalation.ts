/** What an escalation target reads when a lead is stuck with intake. */
import { gsm7Length, toGsm7, TWO_SEGMENTS } from "./gsm7.ts";
import { truncateWords } from "./sms-fit.ts";

/** A lead stuck with intake, as its escalation text names it. */
export interface IntakeEscalation {
  code: number;
  /** The customer's name, else their phone, else "unknown caller". */
  who: string;
  urgency: string | null;
  /** The last rejection, when an owner sent it back. */
  sentBack?: { by: string; reason: string } | null;
  /** Missing fields as an owner would say them ("address"). */
  missing: string[];
}

/**
 * The text to intake's escalation target: which lead, why it is stuck, what to do, in at most
 * two GSM-7 segments (the owner's reason gives way first).
 */
export function intakeEscalationText(e: IntakeEscalation): string {
  const who = toGsm7(e.who);
  const urgency = (e.urgency ?? "urgency unknown").replace("_", " ");
  const missing = e.missing.join(", ") || "nothing";
  const last = e.sentBack;
  const compose = (reason: string) =>
    last
      ? `ESCALATED: lead ${e.code} (${who}, ${urgency}) was sent back by ${toGsm7(last.by)}: ${reason}. Still with intake, missing: ${missing}. Please get it fixed and owned.`
      : `ESCALATED: lead ${e.code} (${who}, ${urgency}) is still incomplete with intake, missing: ${missing}. Please get it completed and owned.`;
  const reason = toGsm7(last?.reason ?? "");
  const full = compose(reason);
  const over = gsm7Length(full) - TWO_SEGMENTS;
  return over > 0 ? compose(truncateWords(reason, Math.max(12, gsm7Length(reason) - over))) : full;
}
