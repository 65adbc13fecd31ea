import { z } from "zod";
import { id, oneOf } from "./config-fields.ts";
import { CHANNELS, FITS, LEAD_TYPES, OPPORTUNITIES, URGENCIES } from "./lead.ts";

const values = <T extends z.ZodType>(value: T) => z.array(value).min(1).optional();
/** Free text, compared case- and spacing-insensitively when routing (src/domain/routing.ts). */
const text = z.string().trim().min(1);

/**
 * What a rule matches: each field lists allowed values. Fields with a closed set of values only
 * take values of that set (a rule for `urgency: ["urgent"]` would never fire); the rest are free text.
 */
export const matchSchema = z.strictObject({
  urgency: values(oneOf(URGENCIES)),
  opportunity: values(oneOf(OPPORTUNITIES)),
  leadType: values(oneOf(LEAD_TYPES)),
  fit: values(oneOf(FITS)),
  channel: values(oneOf(CHANNELS)),
  source: values(text).describe("Lead sources, e.g. missed_call or \"Google Ads\" (compared as stored: google_ads)"),
  serviceType: values(text),
  market: values(text),
});

/** Where a matched lead goes: a role (round robin among its members) or one named member. */
const targetSchema = z
  .strictObject({ role: id.optional(), member: id.optional() })
  .superRefine((to, ctx) => {
    if ((to.role === undefined) === (to.member === undefined)) {
      ctx.addIssue({ code: "custom", message: "name exactly one of role or member" });
    }
  })
  .meta({ minProperties: 1, maxProperties: 1 })
  .transform((to): { role: string } | { member: string } => (to.member !== undefined ? { member: to.member } : { role: to.role! }));

export const routingRuleSchema = z.strictObject({
  match: matchSchema.default({}).describe("Each field lists allowed values; an empty match matches every lead"),
  to: targetSchema,
});
