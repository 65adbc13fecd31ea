/**
 * Notices to team members about leads they did not ask about: one voice with the command
 * replies (command-replies.ts). Free text (a reason, a customer's words) is clipped so the
 * notice stays within its segments; a customer's own words may take two.
 */
import { formatDueTime, type BusinessTime } from "./due-time.ts";
import { toGsm7 } from "./gsm7.ts";
import { fitIn, sentence } from "./sms-fit.ts";

/** To everyone else the lead was offered to: the first ACCEPT won, nothing left to do. */
export function takenNotice({ code, acceptedBy }: { code: number; acceptedBy: string }): string {
  return fitIn((by) => `Lead ${code} was accepted by ${by}. Nothing to do.`, toGsm7(acceptedBy));
}

/** To the previous owner: the office gave the lead to someone else, and why. */
export function reassignedNotice(n: { code: number; to: string; reason: string }): string {
  const head = `Lead ${n.code} was reassigned to ${toGsm7(n.to)}: `;
  return fitIn((r) => `${head}${sentence(r)} It is no longer yours.`, toGsm7(n.reason.trim()));
}

/** What intake is told about a lead left with it: who sent it back and why, or what is missing. */
export interface IntakeNotice {
  code: number;
  /** The customer's name, else their phone, else "unknown caller". */
  who: string;
  /** How the lead came in, e.g. "twilio_voice". */
  channel: string;
  /** The last rejection, when an owner sent it back. */
  sentBack?: { by: string; reason: string } | null;
  /** Missing fields as an owner would say them ("address"). */
  missing: string[];
}

/** To intake: a lead sent back by its owner, or one still missing fields. */
export function intakeNotice(n: IntakeNotice): string {
  const who = toGsm7(n.who);
  if (n.sentBack) {
    const head = `Lead ${n.code} (${who}) was sent back by ${toGsm7(n.sentBack.by)}: `;
    return fitIn((r) => `${head}${sentence(r)} Please fix the record.`, toGsm7(n.sentBack.reason), 2);
  }
  return fitIn((w) => `Lead ${n.code} (${w}, via ${n.channel}) is missing: ${n.missing.join(", ") || "nothing"}. Please complete it.`, who, 2);
}

/**
 * To the owner: the customer texted back. Up to two segments, since the customer's own words
 * are the point (and an emoji makes a segment only 70 characters); the full text is on the lead.
 */
export function customerReplyNotice(n: { code: number; customerName?: string | null; customerPhone?: string | null; text: string }): string {
  const who = n.customerName ?? n.customerPhone;
  const head = `Lead ${n.code}${who ? ` (${who})` : ""} texted: "`;
  return fitIn((t) => `${head}${t}"`, n.text, 2);
}

/** To the manager: a team member opted out of texts, so offers reach them by call. */
export function memberOptedOutNotice({ memberName }: { memberName: string }): string {
  return `${memberName} replied STOP, so lead offers will reach them by phone call. Ask them to text START to get texts again.`;
}

/** How a role reads in a text: "on_call" is "on call". */
const roleWords = (role: string) => toGsm7(role.replace(/_/g, " "));

/** To the member whose shift starts now (CONTRACT §10): which role, for which business, until when. */
export function shiftStartNotice(n: { businessName: string; role: string; until: Date } & BusinessTime): string {
  const until = formatDueTime(n.until, n);
  return fitIn((b) => `${b}: you are ${roleWords(n.role)} now, until ${until}. Urgent leads ring you day or night. Text WHO to see who else is on.`, toGsm7(n.businessName));
}

/** To the member who takes over a shift because its holder texted AWAY (or was given back by BACK). */
export function shiftCoverNotice(n: { role: string; from: string; back?: boolean }): string {
  if (n.back) return fitIn((f) => `${f} is BACK and holds ${roleWords(n.role)} again. You are off it.`, toGsm7(n.from));
  return fitIn((f) => `${f} texted AWAY: you hold ${roleWords(n.role)} now, until they text BACK. Urgent leads ring you day or night.`, toGsm7(n.from));
}

/** Who a caller is in a notice: their name, else their phone, else "caller". */
const callerWords = (name?: string | null, phone?: string | null) => toGsm7(name ?? phone ?? "caller");

/** To the owner of an open lead: its caller called again and nobody answered (CONTRACT §6). */
export function calledAgainNotice(n: { code: number; customerName?: string | null; customerPhone?: string | null }): string {
  const back = n.customerPhone ? ` at ${n.customerPhone}` : "";
  return fitIn((w) => `Lead ${n.code} (${w}) called again and nobody answered. Call them back${back}.`, callerWords(n.customerName, n.customerPhone));
}

/**
 * To the owner of an open lead: its caller left a voicemail. Up to two segments, since the
 * recording's link takes most of one; the link is never clipped, the caller's name may be.
 */
export function voicemailNotice(n: {
  code: number;
  customerName?: string | null;
  customerPhone?: string | null;
  durationSeconds: number | null;
  recordingUrl: string;
}): string {
  const length = n.durationSeconds ? `${n.durationSeconds}s ` : "";
  return fitIn((w) => `Lead ${n.code} (${w}) left a ${length}voicemail: ${n.recordingUrl}`, callerWords(n.customerName, n.customerPhone), 2);
}
