import type { Deps } from "../core/deps.ts";
import { runOnce, storedOrUnfinished, type InboundEvent } from "../core/inbox-once.ts";
import type { BusinessRow } from "../core/records.ts";
import { toE164 } from "../domain/phone.ts";
import { runMemberCommand } from "../handoff/sms-commands.ts";
import { processCustomerText } from "../intake/customer-sms.ts";
import { consentChange, recordOptChange } from "../messaging/opt-outs.ts";
import { endAsksOfNumber } from "../routing/ask-customer.ts";

/** The fields of an inbound text the gateway acts on. */
export interface TextFields {
  MessageSid: string;
  From: string;
  Body: string;
  OptOutType?: string;
}

/**
 * What an inbound text means, whichever path brought it (Twilio's webhook, or reconciliation
 * reading Twilio's message log), stored first under `twilio:sms:<MessageSid>` (`event`) and acted
 * on once: STOP/START change consent and nothing else; a team member's text is a command; a HELP
 * is Twilio's to answer; anyone else's is a customer's text, processed after the stored row (its
 * extraction may call an LLM). True when this call stored it (it was not in before).
 */
export async function receiveText(deps: Deps, business: BusinessRow, form: TextFields, event: InboundEvent): Promise<boolean> {
  const phone = toE164(form.From);
  const member = phone ? business.config.team.find((m) => m.phone === phone) : undefined;
  const consent = phone ? await consentChange(deps.db, business.id, phone, { optOutType: form.OptOutType, body: form.Body }) : null;

  if (consent && phone) {
    const { fresh } = await runOnce(deps, event, async () => {
      await recordOptChange(deps, { business, phone, change: consent });
      // STOP also ends any question the gateway was asking this number (CONTRACT §15).
      if (consent.optedOut) await endAsksOfNumber(deps, business, phone, consent.keyword);
      return {};
    });
    return fresh;
  }
  if (member) {
    const { fresh } = await runOnce(deps, event, async () => {
      const outcome = await runMemberCommand(deps, { business, member, text: form.Body, messageSid: form.MessageSid });
      return { leadId: outcome.leadId };
    });
    return fresh;
  }
  if (form.OptOutType?.toUpperCase() === "HELP") {
    const { fresh } = await runOnce(deps, event, async () => ({}));
    return fresh;
  }
  // Claimed by processCustomerText, so a redelivery while it runs does not start it twice.
  const row = await storedOrUnfinished(deps.db, event);
  if (row) deps.background.defer(`customer text ${form.MessageSid}`, () => processCustomerText(deps, row.id));
  return row?.stored ?? false;
}
