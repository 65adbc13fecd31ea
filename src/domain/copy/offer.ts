import { gsm7Length, toGsm7, TWO_SEGMENTS } from "./gsm7.ts";
import { truncateWords } from "./sms-fit.ts";
import { formatDueTime, type BusinessTime } from "./due-time.ts";

/** What an owner needs on their phone to act without opening anything else. */
export interface OfferTextInput extends BusinessTime {
  code: number;
  urgency: string | null;
  fullName: string | null;
  phone: string | null;
  place: string | null;
  serviceType: string | null;
  summaryNotes: string | null;
  promisedNextStep: string | null;
  /** When the owner must have acted; said in the business's zone by the one due-time formatter. */
  dueAt: Date;
  missingFields: string[];
  /** "NEW" for a first offer, "ESCALATED" when it climbs, "REASSIGNED"… */
  heading?: string;
}

const HUMAN_FIELD: Record<string, string> = {
  fullName: "name", phone: "phone", serviceAddress: "address", serviceType: "service type",
  urgency: "urgency", source: "source", summaryNotes: "notes", promisedNextStep: "next step",
  followUpDate: "follow-up date", referralContext: "referral context",
};

/** Ends a sentence once: a part cut with "..." already has its stop. */
const stop = (part: string) => (/[.!?]$/.test(part) ? part : `${part}.`);

/** A missing field as an owner would say it. */
export const humanField = (name: string) => HUMAN_FIELD[name] ?? name;

/**
 * The offer SMS of CONTRACT §5: code, urgency, customer, phone, place, problem, next step and
 * due time, and how to reply, in at most two GSM-7 segments. When it is too long the free-text
 * parts give way, always at a word boundary, keeping as much of the problem as fits.
 */
export function offerText(input: OfferTextInput): string {
  const urgency = (input.urgency ?? "urgency?").replace("_", " ").toUpperCase();
  const problem = [input.serviceType, input.summaryNotes].filter(Boolean).join(" - ") || "problem not given";
  const flex = {
    name: toGsm7(input.fullName ?? "name?"),
    place: toGsm7(input.place ?? "address?"),
    problem: toGsm7(problem),
    next: toGsm7(input.promisedNextStep ?? "contact the customer"),
  };
  const due = formatDueTime(input.dueAt, input);
  const missing = input.missingFields.length ? ` MISSING: ${input.missingFields.map(humanField).join(", ")}.` : "";
  const compose = (f: typeof flex) =>
    `${input.heading ?? "NEW"} lead ${input.code} ${urgency}: ${f.name}, ${input.phone ?? "no phone"}, ${stop(f.place)} ` +
    `${stop(f.problem)} Next: ${f.next}, due ${due}.${missing} ` +
    `Reply ACCEPT ${input.code} or REJECT ${input.code} <what's missing>`;

  // Long free text gives way in this order, each down to a floor: first the parts that are
  // rarely that long (place, next step, name), then the notes, then everything to the bone.
  const steps: [keyof typeof flex, number][] = [
    ["place", 70], ["next", 70], ["name", 40], ["problem", 40], ["next", 30], ["place", 30], ["problem", 12], ["name", 12],
  ];
  let text = compose(flex);
  for (const [part, floor] of steps) {
    const over = gsm7Length(text) - TWO_SEGMENTS;
    if (over <= 0) break;
    const target = Math.max(gsm7Length(flex[part]) - over, floor);
    if (target < gsm7Length(flex[part])) flex[part] = truncateWords(flex[part], target) || flex[part].slice(0, target);
    text = compose(flex);
  }
  return text;
}
