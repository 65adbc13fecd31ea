import { askCustomerSchema, ASKABLE_FIELDS, type AskableField, type AskCustomerConfig } from "./ask-customer-config.ts";
import { toE164 } from "./phone.ts";

/**
 * Asking the caller for what is missing (CONTRACT §15), in pure terms: which field to ask next,
 * and whether a reply answers the question asked. The rooms that text, wait and record live in
 * routing/ (the conversation), intake/ (the reply) and escalation/ (the wait, the AI callback).
 */

/** How a question reaches the caller: a text per field, or one AI callback for them all. */
export const ASK_CHANNELS = ["sms", "voice"] as const;
export type AskChannel = (typeof ASK_CHANNELS)[number];

/** open: the caller may still answer; closed: intake has it (or the lead moved on). */
export const ASK_STATUSES = ["open", "closed"] as const;
export type AskStatus = (typeof ASK_STATUSES)[number];

/** Where a value the caller's answer gave came from, when no extractor found it (lead fieldSources). */
export const ANSWER_SOURCE = "customer_answer";

/** A business's `askCustomer`, with defaults for configs stored before it existed. */
export function askSettings(config: { askCustomer?: AskCustomerConfig }): AskCustomerConfig {
  return config.askCustomer ?? askCustomerSchema.parse({});
}

/** Whether a field name is one a question exists for. */
export const isAskable = (name: string): name is AskableField => (ASKABLE_FIELDS as readonly string[]).includes(name);

/** The first field of `fields` (the business's order) that the record still misses, not counting `skip`. */
export function nextAskField(fields: readonly AskableField[], missing: readonly string[], skip: readonly string[] = []): AskableField | null {
  return fields.find((f) => missing.includes(f) && !skip.includes(f)) ?? null;
}

/** Words a caller puts before an answer ("it's", "the address is", "my name is"). */
const LEAD_IN = /^(?:(?:hi|hello|hey|yes|yeah|sure|ok|okay|thanks|thank you)[,.!]?\s+)*(?:(?:it's|it is|its|this is|i'm|i am|my name is|name is|name's|the address is|address is|address:|we are at|we're at|i'm at|at|for|a|an|the|we need|i need|need)\s+)*/i;
/** Replies that answer nothing. */
const NON_ANSWERS = /^(?:yes|yeah|yep|no|nope|ok|okay|sure|thanks|thank you|idk|i don'?t know|not sure|who is this|what|huh|help|\?+)[.!?]*$/i;

const clean = (text: string) => text.replace(/\s+/g, " ").trim();
const strip = (text: string) => clean(clean(text).replace(LEAD_IN, "")).replace(/[.!]+$/, "").trim();

/**
 * The value a reply gives the field it was asked for, or null when it does not fit: an address
 * is a house number and a street word or more ("4821 W 38th" counts, no street suffix needed);
 * a name is one to four words of letters; a service type is a few words that are not a non-answer.
 * Used when extraction found nothing for the field: the question tells what the reply is about.
 */
export function answerFor(field: AskableField, reply: string): string | null {
  const text = strip(reply);
  if (!text || NON_ANSWERS.test(text) || NON_ANSWERS.test(clean(reply))) return null;
  const words = text.split(" ");
  switch (field) {
    case "serviceAddress":
      return /\b\d{1,6}[A-Za-z]?\b/.test(text) && /\p{L}{2,}/u.test(text) && words.length <= 16 && text.length <= 160 ? text : null;
    case "fullName": {
      if (words.length > 4 || !words.every((w) => /^\p{L}[\p{L}'’.-]*$/u.test(w))) return null;
      // "jane doe" reads as "Jane Doe"; a name the caller capitalised stays as written.
      return text === text.toLowerCase() ? words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ") : text;
    }
    case "serviceType":
      return words.length <= 12 && text.length <= 100 && /\p{L}{3,}/u.test(text) ? text : null;
  }
}

/** Why a lead cannot be asked, or null when its caller can be (lead facts only; the caller's consent is the database's). */
export function whyNotAsk(lead: { phone: string | null; urgency: string | null; rejections: unknown[] }, settings: AskCustomerConfig, missing: readonly string[]): string | null {
  if (!settings.enabled) return "askCustomer is off";
  if (lead.urgency === "emergency" || lead.urgency === "active_loss") return "emergency";
  if (lead.rejections.length > 0) return "sent back by an owner";
  if (!lead.phone || !toE164(lead.phone)) return "no caller phone";
  if (!nextAskField(settings.fields, missing)) return "nothing missing that the caller can be asked";
  return null;
}
