/**
 * What a customer reads from us, and the notes the team reads about what the customer did.
 * Customer texts stay in one GSM-7 segment for an ordinary business name.
 */
import type { AskableField } from "../ask-customer-config.ts";
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

/** Each field's question, and the plainer one asked when the first answer did not fit. */
const QUESTIONS: Record<AskableField, { first: string; again: string }> = {
  serviceAddress: { first: "what is the service address?", again: "sorry, we need the street address of the job (number and street). What is it?" },
  serviceType: { first: "what do you need help with?", again: "sorry, in a few words, what do you need us to do?" },
  fullName: { first: "what name should we put this under?", again: "sorry, what is your first and last name?" },
};

/**
 * One question to the caller about one missing field (CONTRACT §15), naming the business and the
 * problem so they know who asks: "Acme Plumbing here about your water heater: what is the
 * service address? Reply here." One GSM-7 segment; the problem gives way first, then the name.
 */
export function askQuestionText(n: { businessName: string; problem: string | null; field: AskableField; again?: boolean }): string {
  const question = n.again ? QUESTIONS[n.field].again : QUESTIONS[n.field].first;
  const name = clipTo(toGsm7(n.businessName), 40);
  const problem = n.problem ? toGsm7(n.problem.trim().replace(/[.!?]+$/, "").toLowerCase()) : null;
  if (!problem) return `${name} here about your call: ${question} Reply here.`;
  return fitIn((p) => `${name} here about your ${p}: ${question} Reply here.`, problem);
}

const clipTo = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 3).trimEnd()}...`);
