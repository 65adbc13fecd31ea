import { z } from "zod";
import { dateFormat } from "../../domain/date-format.ts";
import { LEAD_TYPES, URGENCIES, URGENCY_MEANINGS } from "../../domain/lead.ts";
import { mapStructuredData } from "../../domain/structured-fields.ts";
import type { ExtractedFields, ExtractionInput } from "./extractor.ts";

// Structured outputs in strict mode need every property required: "not heard" is null, never a
// missing key, so every field is `.nullable()` and none `.optional()`. The descriptions become
// the JSON Schema the model reads.
const heard = (description: string) => z.string().nullable().describe(description);
/** The SOP's urgency meanings as one line, for the schema and the prompt alike. */
const urgencyMeanings = URGENCIES.map((urgency) => `${urgency}: ${URGENCY_MEANINGS[urgency]}`).join("; ");

/** What the LLM is asked to fill: our lead fields, each null when the call did not say it. */
export const extractionSchema = z.object({
  fullName: heard("The caller's full name as they gave it"),
  phone: heard("The customer's callback number: one the caller asked to be called back on, else the caller ID"),
  serviceAddress: heard("Street address where the work is needed, with unit, city, state and ZIP when given"),
  market: heard("City or service area of the job"),
  serviceType: heard("The service or problem type; prefer one of the business's service types when it fits"),
  urgency: z
    .enum(URGENCIES)
    .nullable()
    .describe(urgencyMeanings),
  source: heard("How the caller found the business if they said so (e.g. google, yelp, referral)"),
  summaryNotes: heard("Two or three sentences an owner can act on without re-asking the customer"),
  promisedNextStep: heard("What the agent promised will happen next, and when"),
  leadType: z
    .enum(LEAD_TYPES)
    .nullable()
    .describe("estimate: the caller wants a quote or estimate; consult: a consultation; service: a repair or service call"),
  referralContext: heard("Who referred the caller and anything said about that referral"),
  followUpDate: heard("Date the caller and agent agreed for the follow-up or visit, as YYYY-MM-DD"),
});

export type Extraction = z.infer<typeof extractionSchema>;

/** The chat messages that ask for an extraction: instructions, then everything intake heard. */
export function extractionMessages(input: ExtractionInput): { role: "system" | "user"; content: string }[] {
  const today = dateFormat("en-CA", { timeZone: input.timezone, dateStyle: "short" }).format(input.now);
  const weekday = dateFormat("en-US", { timeZone: input.timezone, weekday: "long" }).format(input.now);
  const system = [
    "You extract a lead record for a home-services business from a phone call handled by its receptionist.",
    "Use only what the call says. When something was not said, answer null: never guess a name, address or number.",
    "The caller's own statements win over the agent's; a number the caller asks to be called back on wins over caller ID.",
    `Today is ${weekday} ${today} in the business's time zone (${input.timezone}); resolve relative dates against it.`,
    input.serviceTypes.length
      ? `The business's service types: ${input.serviceTypes.join("; ")}. For serviceType answer with one of them, exactly as written, when one fits.`
      : "",
    `Urgency, as the business's lead handoff SOP means it (emergency and active_loss go to on-call at once): ${urgencyMeanings}.`,
    "A name, number or address of someone other than the caller (a neighbour who recommended the business, a tenant, a spouse named in passing) is not the caller's, unless the caller asks to be called on that number or to put the lead under that name.",
    "When the caller corrects themselves (\"4812, sorry, 4821\"), the correction wins.",
  ].filter(Boolean);
  const call = [
    `Caller ID: ${input.callerPhone ?? "unknown"}`,
    `Provider summary: ${input.summary ?? "none"}`,
    `Transcript:\n${input.transcript ?? "(none)"}`,
  ];
  return [
    { role: "system", content: system.join("\n") },
    { role: "user", content: call.join("\n\n") },
  ];
}

/**
 * The model's answer as extracted fields: nulls dropped and every value validated like provider
 * structured data (E.164 phone, enums, calendar date), so a bad value is absent, not stored.
 */
export function toExtractedFields(extraction: Extraction): ExtractedFields {
  const present = Object.fromEntries(Object.entries(extraction).filter(([, value]) => value !== null));
  return mapStructuredData(present).fields;
}
