import { z } from "zod";
import { id } from "./config-fields.ts";
import { CHANNELS, FITS, LEAD_TYPES, OPPORTUNITIES, URGENCIES } from "./lead.ts";
import { POSTAL_PREFIX } from "./postal-code.ts";

const values = <T extends z.ZodType>(value: T) => z.array(value).min(1).optional();
/** Free text, compared case- and spacing-insensitively when routing (src/domain/routing.ts). */
const text = z.string().trim().min(1);

/** A closed-set value as written by a person: case, spacing and hyphens ignored ("Active Loss" is active_loss). */
export function canonicalToken(value: string): string {
  return value.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/**
 * One value of a closed set, read case- and spacing-insensitively and stored in its one spelling.
 * A value that is none of the set could never match, so the apply is refused naming its path.
 */
const closed = <const T extends readonly [string, ...string[]]>(set: T) =>
  z
    .string()
    .transform(canonicalToken)
    .pipe(z.enum(set, { message: `can never match: must be one of ${set.join(", ")}` }))
    .meta({ enum: [...set], description: `One of ${set.join(", ")} (case and spacing ignored)` });

/** The closed sets a rule may match, by field (docs/configuration.md lists them). */
export const CLOSED_MATCH_FIELDS = { urgency: URGENCIES, opportunity: OPPORTUNITIES, leadType: LEAD_TYPES, fit: FITS, channel: CHANNELS } as const;

/**
 * What a rule matches: each field lists allowed values. Fields with a closed set of values only
 * take values of that set (a rule for `urgency: ["urgent"]` would never fire); the rest are free text.
 */
export const matchSchema = z.strictObject({
  urgency: values(closed(URGENCIES)),
  opportunity: values(closed(OPPORTUNITIES)),
  leadType: values(closed(LEAD_TYPES)),
  fit: values(closed(FITS)),
  channel: values(closed(CHANNELS)),
  source: values(text).describe("Lead sources, e.g. missed_call or \"Google Ads\" (compared as stored: google_ads)"),
  serviceType: values(text),
  market: values(text),
  zip: values(text.regex(POSTAL_PREFIX, "a postal code or its first characters: letters and digits, e.g. 787 or K1A"))
    .describe("Prefixes of the postal code in the lead's serviceAddress (US ZIP or ZIP+4, Canadian or UK postcode); case, spaces and hyphens ignored"),
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
