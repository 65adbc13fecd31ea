import { z } from "zod";
import { boundedDate, boundedDateTime } from "./date-bounds.ts";
import { CHANNELS, FITS, LEAD_TYPES, normalizeSource, OPPORTUNITIES, URGENCIES } from "./lead.ts";
import { e164Phone } from "./phone.ts";
import { MAX_FIELD_CHARS } from "./storable-text.ts";

const text = z.string().trim().min(1, "must not be empty").max(MAX_FIELD_CHARS, `at most ${MAX_FIELD_CHARS} characters`);

const phone = e164Phone;

/** Lead fields a person or tool may set directly; each validated, none required (intake fills them). */
export const leadFieldsInput = z
  .object({
    fullName: text,
    phone,
    serviceAddress: text,
    market: text,
    serviceType: text,
    urgency: z.enum(URGENCIES),
    source: text.transform(normalizeSource),
    summaryNotes: text,
    promisedNextStep: text,
    leadType: z.enum(LEAD_TYPES),
    opportunity: z.enum(OPPORTUNITIES),
    fit: z.enum(FITS),
    referralContext: text,
    followUpDate: boundedDate(),
  })
  .partial()
  .strict();

export type LeadFieldsInput = z.output<typeof leadFieldsInput>;

/** A due time as the API takes it: ISO 8601 with an offset, in 2000–2100. */
const dueAt = boundedDateTime();

/** What the owner will do next (CONTRACT §9), free text. */
export const nextActionText = text;

/** PATCH /api/leads/:id: any lead field, the next action and its due time. */
export const leadPatchInput = leadFieldsInput.extend({ nextAction: nextActionText, nextActionDueAt: dueAt }).partial().strict();

/**
 * POST /api/leads: manual intake names the business and any fields it has. It may also say how
 * the lead arrived, name the owner it chose (instead of the routing rules) and the due time it
 * promised (instead of the policy's window).
 */
export const createLeadInput = leadFieldsInput
  .extend({
    business: z.string().min(1),
    channel: z.enum(CHANNELS).optional(),
    ownerId: z.string().min(1).optional(),
    nextActionDueAt: dueAt.optional(),
  })
  .strict();

export const memberAction = z
  .object({ memberId: z.string().min(1), reason: z.string().trim().min(1).optional(), outcome: z.string().optional() })
  .strict();

/** POST /api/leads/:id/next-action: the owner's plan (CONTRACT §9); `memberId` is who records it (default: the API). */
export const nextActionInput = z
  .object({ memberId: z.string().min(1).optional(), action: nextActionText, dueAt })
  .strict();

/** POST /api/leads/:id/notes: a note on the lead; `memberId` is who wrote it (default: the API). */
export const noteInput = z.object({ memberId: z.string().min(1).optional(), text }).strict();
