/**
 * What a customer reads from us, and the notes the team reads about what the customer did.
 * Customer texts stay in one GSM-7 segment for an ordinary business name.
 */
import { toGsm7 } from "./gsm7.ts";

/** The one automatic answer to a text from a number with no open lead. */
export function autoReplyText(businessName: string): string {
  return `Thanks for texting ${toGsm7(businessName)}. We got your message and someone will get back to you shortly.`;
}

/** The missed call's text-back: the business's own template with `{business}` filled in. */
export function textBackText(template: string, businessName: string): string {
  return toGsm7(template.replaceAll("{business}", businessName));
}

/** Why a forwarded call was missed, as the lead's notes say it. */
const DIAL_WORDS: Record<string, string> = {
  "no-answer": "nobody answered",
  busy: "the line was busy",
  failed: "forwarding failed",
  canceled: "the caller hung up while it rang",
  "no-forward": "no number to forward to",
  unanswered: "the gateway could not answer it, so nobody was rung",
};

/** The lead note of a missed call: who called, when (already said in the business's zone), and why it was missed. */
export function missedCallNote(n: { phone: string | null; when: string; dialStatus: string }): string {
  return `Missed call${n.phone ? ` from ${n.phone}` : " (no caller ID)"} at ${n.when}: ${DIAL_WORDS[n.dialStatus] ?? n.dialStatus}.`;
}

/** The lead note of a customer's text. */
export const customerTextNote = (text: string) => `Customer texted: ${text}`;
