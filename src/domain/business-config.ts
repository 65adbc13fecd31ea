import { z } from "zod";
import { parseDuration } from "./duration.ts";
import { e164Phone } from "./phone.ts";

/** The roles the SOP names; businesses may add their own. */
export const CORE_ROLES = ["intake", "dispatch", "on_call", "office_lead", "manager", "sales"] as const;

/** What a business slug looks like; it appears in every webhook URL. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const phone = e164Phone;

const duration = z.string().refine((v) => parseDuration(v) !== null, {
  message: "not a duration (use e.g. 90s, 5m, 1h, 1h30m)",
});

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "use 24-hour HH:MM");

const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "not an IANA time zone (e.g. America/Chicago)" },
);

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, - and _");

export const memberSchema = z.object({
  id: id.describe("Stable id used in routing and the API"),
  name: z.string().min(1),
  phone: phone.describe("Mobile number that receives offers and sends commands"),
  roles: z.array(id).min(1),
  available: z.boolean().default(true).describe("false: skipped by routing (off shift, on leave)"),
});

const MATCH_FIELDS = ["urgency", "opportunity", "leadType", "source", "serviceType", "fit", "channel", "market"] as const;

export const routingRuleSchema = z.object({
  match: z
    .partialRecord(z.enum(MATCH_FIELDS), z.array(z.string().min(1)).min(1))
    .default({})
    .describe("Each field lists allowed values; an empty match matches every lead"),
  to: z.union([z.object({ role: id }).strict(), z.object({ member: id }).strict()]),
});

const channels = z.array(z.enum(["sms", "voice"])).min(1);

export const escalationSchema = z
  .object({
    urgent: z
      .object({ acceptWithin: duration.default("5m"), escalateTo: id.default("manager"), channels: channels.default(["sms", "voice"]) })
      .prefault({}),
    standard: z
      .object({ acceptWithin: duration.default("15m"), escalateTo: id.default("office_lead"), channels: channels.default(["sms"]) })
      .prefault({}),
    estimate: z
      .object({ moveWithin: duration.default("60m"), escalateTo: id.default("sales"), channels: channels.default(["sms"]) })
      .prefault({}),
    incomplete: z
      .object({ completeWithin: duration.default("15m"), escalateTo: id.default("office_lead") })
      .prefault({}),
    endOfDayReview: z.object({ before: duration.default("30m"), to: id.default("manager") }).prefault({}),
    /** After the first escalation, repeat to the manager this often, at most `maxRepeats` times. */
    repeat: z.object({ every: duration.default("10m"), maxRepeats: z.number().int().min(0).max(20).default(3) }).prefault({}),
  })
  .prefault({});

export const businessConfigSchema = z
  .object({
    slug: z.string().regex(SLUG, "lowercase letters, digits and -"),
    name: z.string().min(1),
    timezone,
    hours: z
      .object({ days: z.array(z.enum(DAYS)).min(1), open: clockTime, close: clockTime })
      .refine((h) => h.open < h.close, { message: "open must be before close", path: ["close"] }),
    numbers: z.array(phone).default([]).describe("The business's own Twilio numbers"),
    forwardTo: phone.optional().describe("Where inbound calls ring before they count as missed"),
    team: z.array(memberSchema).min(1),
    routing: z.array(routingRuleSchema).min(1),
    escalation: escalationSchema,
    /** Open lead from the same caller within this window is updated instead of duplicated. */
    dedupeWindow: duration.default("24h"),
    /** The due time of a missed call's callback. */
    missedCall: z
      .object({
        callbackWithin: duration.default("10m"),
        dialTimeoutSeconds: z.number().int().min(5).max(120).default(20),
        textBack: z
          .string()
          .min(1)
          .default("Sorry we missed your call to {business}. Reply with what you need and we'll call you right back."),
      })
      .prefault({}),
    /** Later automated texts to customers wait out these hours (business time zone). */
    quietHours: z.object({ start: clockTime.default("21:00"), end: clockTime.default("08:00") }).prefault({}),
    /** Service types intake recognises (used by extraction); free text is still accepted. */
    serviceTypes: z.array(z.string().min(1)).default([]),
    /** Provider structured-data keys mapped onto lead fields, e.g. { "caller_name": "fullName" }. */
    fieldMap: z.record(z.string(), z.string()).default({}),
    secrets: z
      .object({
        vapi: z.string().min(1).optional(),
        retell: z.string().min(1).optional(),
        bland: z.string().min(1).optional(),
        intake: z.string().min(1).optional(),
        twilioAuthToken: z.string().min(1).optional(),
      })
      .default({}),
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.team.forEach((m, i) => {
      if (ids.has(m.id)) ctx.addIssue({ code: "custom", path: ["team", i, "id"], message: `duplicate member id "${m.id}"` });
      ids.add(m.id);
    });
    config.routing.forEach((rule, i) => {
      if ("member" in rule.to && !ids.has(rule.to.member)) {
        ctx.addIssue({ code: "custom", path: ["routing", i, "to", "member"], message: `no team member "${rule.to.member}"` });
      }
    });
  });

/** A business config as stored: validated, defaults filled, phones in E.164. */
export type BusinessConfig = z.output<typeof businessConfigSchema>;
export type BusinessConfigInput = z.input<typeof businessConfigSchema>;
export type Member = BusinessConfig["team"][number];
export type RoutingRule = BusinessConfig["routing"][number];

/** Every problem of a config as `{ path, message }`, for an operator to fix all at once. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join(".") : "(root)",
    message: issue.message,
  }));
}
