/**
 * What a customer reads from us, and the notes the team reads about what the customer did.
 * Customer texts stay in one GSM-7 segment for an ordinary business name.
 */
import { formatDueTime, type BusinessTime } from "./due-time.ts";
import { toGsm7 } from "./gsm7.ts";
import { fitIn, sentence } from "./sms-fit.ts";

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

/**
 * To the customer once their request is accepted (customerTexts.onAccept): the business, the
 * owner's first name, and the next action with its time when one is set, else the promised step.
 */
export function acceptedCustomerText(n: {
  businessName: string;
  ownerName: string;
  nextAction?: string | null;
  dueAt?: Date | null;
  promisedNextStep?: string | null;
} & BusinessTime): string {
  const first = toGsm7(n.ownerName.trim().split(/\s+/)[0] ?? n.ownerName);
  const head = `${toGsm7(n.businessName)}: ${first} has your request`;
  if (n.nextAction && n.dueAt) {
    return fitIn((a) => `${head} and will ${a}, ${formatDueTime(n.dueAt!, n)}.`, toGsm7(lowerFirst(n.nextAction.replace(/[.!?]+$/, ""))));
  }
  if (n.promisedNextStep) return fitIn((s) => `${head}. Next: ${sentence(s)}`, toGsm7(n.promisedNextStep));
  return `${head} and will be in touch soon.`;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
