import { z } from "zod";
import { clockTime, duration, id, timezone } from "./config-fields.ts";
import { OUTCOMES } from "./lead.ts";
import { e164Phone } from "./phone.ts";
import { routingRuleSchema } from "./routing-config.ts";
import { hoursSchema, periodSchema, scheduleSchema } from "./schedule-config.ts";
import { boundedDate } from "./date-bounds.ts";
import { reconcileSchema } from "./reconcile-config.ts";
import { MAPPABLE_FIELDS } from "./structured-fields.ts";
import { webhooksSchema } from "./webhook-config.ts";
import { integrationsSchema } from "./integrations-config.ts";
import { qaSchema } from "./qa-config.ts";
import { askCustomerSchema } from "./ask-customer-config.ts";

export { routingRuleSchema } from "./routing-config.ts";

/** The roles the SOP names; businesses may add their own. */
export const CORE_ROLES = ["intake", "dispatch", "on_call", "office_lead", "manager", "sales"] as const;

/** What a business slug looks like; it appears in every webhook URL. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const memberSchema = z.strictObject({
  id: id.describe("Stable id used in routing and the API"),
  name: z.string().min(1),
  phone: e164Phone.describe("Mobile number that receives offers and sends commands"),
  roles: z.array(id).min(1),
  available: z.boolean().default(true).describe("false: skipped by routing (off shift, on leave)"),
  hours: hoursSchema.optional().describe("When this member works, in the business's zone; default the business's hours"),
  away: z.array(periodSchema).default([]).describe("Time off: { from, to } with offsets; not offered work meanwhile"),
  maxOpen: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe("Open leads (offered or accepted) at which routing passes this member over; none: no cap"),
  weight: z
    .number()
    .positive()
    .max(100)
    .optional()
    .describe("Share of round robin among the members of a role: 2 is offered twice as often as 1 (the default)"),
});

const channels = z.array(z.enum(["sms", "voice"])).min(1);

// Every object is strict: a key the schema does not know is refused naming its path (CONTRACT §2),
// since a misspelt key silently dropped would leave a default the operator did not choose.

export const escalationSchema = z
  .strictObject({
    urgent: z
      .strictObject({ acceptWithin: duration.default("5m"), escalateTo: id.default("manager"), channels: channels.default(["sms", "voice"]) })
      .prefault({}),
    standard: z
      .strictObject({ acceptWithin: duration.default("15m"), escalateTo: id.default("office_lead"), channels: channels.default(["sms"]) })
      .prefault({}),
    estimate: z
      .strictObject({ moveWithin: duration.default("60m"), escalateTo: id.default("sales"), channels: channels.default(["sms"]) })
      .prefault({}),
    incomplete: z
      .strictObject({ completeWithin: duration.default("15m"), escalateTo: id.default("office_lead") })
      .prefault({}),
    endOfDayReview: z.strictObject({ before: duration.default("30m"), to: id.default("manager") }).prefault({}),
    /**
     * A next action whose due time passes with no movement: its owner is reminded at the due
     * time, and `escalateAfter` later the `escalateTo` role is told (CONTRACT §9).
     */
    overdue: z.strictObject({ escalateAfter: duration.default("30m"), escalateTo: id.default("office_lead") }).prefault({}),
    /** After the first escalation, repeat to the manager this often, at most `maxRepeats` times. */
    repeat: z.strictObject({ every: duration.default("10m"), maxRepeats: z.number().int().min(0).max(20).default(3) }).prefault({}),
  })
  .prefault({});

export const businessConfigSchema = z
  .strictObject({
    /** Where an editor finds the JSON Schema; allowed so files can name it, never stored. */
    $schema: z.string().optional(),
    slug: z.string().regex(SLUG, "lowercase letters, digits and -"),
    name: z.string().min(1),
    timezone,
    hours: hoursSchema,
    closedDates: z.array(boundedDate()).default([]).describe("Days the business is closed (holidays), YYYY-MM-DD in its zone"),
    numbers: z.array(e164Phone).default([]).describe("The business's own Twilio numbers"),
    forwardTo: e164Phone.optional().describe("Where inbound calls ring before they count as missed"),
    team: z.array(memberSchema).min(1),
    routing: z.array(routingRuleSchema).min(1),
    schedules: z.array(scheduleSchema).default([]).describe("On-call rotations: the member on duty holds the schedule's role"),
    escalation: escalationSchema,
    /** Open lead from the same caller within this window is updated instead of duplicated. */
    dedupeWindow: duration.default("24h"),
    /** The due time of a missed call's callback. */
    missedCall: z
      .strictObject({
        callbackWithin: duration.default("10m"),
        dialTimeoutSeconds: z.number().int().min(5).max(120).default(20),
        textBack: z
          .string()
          .min(1)
          .default("Sorry we missed your call to {business}. Reply with what you need and we'll call you right back."),
      })
      .prefault({}),
    /** Later automated texts to customers wait out these hours (business time zone). */
    quietHours: z.strictObject({ start: clockTime.default("21:00"), end: clockTime.default("08:00") }).prefault({}),
    /** Service types intake recognises (used by extraction); free text is still accepted. */
    serviceTypes: z.array(z.string().min(1)).default([]),
    /** Provider structured-data keys mapped onto lead fields, e.g. { "caller_name": "fullName" }. */
    fieldMap: z.record(z.string(), z.enum(MAPPABLE_FIELDS, { message: `not a lead field (one of ${MAPPABLE_FIELDS.join(", ")})` })).default({}),
    /** Closing outcomes of this business beside booked, lost, spam and duplicate; `booked: true` counts as a booking. */
    outcomes: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "lowercase letters, digits, _ and -"),
          booked: z.boolean().default(false),
        }),
      )
      .superRefine((list, ctx) => {
        const seen = new Set<string>(OUTCOMES);
        list.forEach((o, i) => {
          if (seen.has(o.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `"${o.id}" is already an outcome` });
          seen.add(o.id);
        });
      })
      .default([]),
    /** Texts to the customer about their request; each off unless turned on. */
    customerTexts: z
      .strictObject({
        /** When a lead is accepted, the customer hears once who has it and what happens next. */
        onAccept: z.boolean().default(false),
      })
      .prefault({}),
    secrets: z
      .strictObject({
        vapi: z.string().min(1).optional(),
        retell: z.string().min(1).optional(),
        bland: z.string().min(1).optional(),
        intake: z.string().min(1).optional(),
        twilioAuthToken: z.string().min(1).optional(),
      })
      .default({}),
    /** Pull what push missed: each provider's recent calls, asked for on a timer (CONTRACT §14). */
    reconcile: reconcileSchema,
    /** Outbound events (CONTRACT §13): each subscription gets the events it lists, signed with its secret. */
    webhooks: webhooksSchema,
    /** Connectors (CONTRACT §13): an accepted lead lands in the business's CRM. */
    integrations: integrationsSchema,
    /** The SOP's weekly QA review (CONTRACT §12): sample size, reviewer role and reminder. */
    qa: qaSchema,
    /** Asking the caller for what is missing (CONTRACT §15) before intake is told. */
    askCustomer: askCustomerSchema,
  })
  // Cross-references run even when other fields failed, so every problem is listed at once.
  .superRefine(checkReferences, { when: (payload) => isRecord(payload.value) && Array.isArray(payload.value.team) && Array.isArray(payload.value.routing) })
  .transform(({ $schema: _editorHint, ...config }) => config);

const isRecord = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null;

/** Member ids are unique and routing names only members on the team; reads defensively, since other fields may have failed. */
function checkReferences(config: { team: unknown[]; routing: unknown[] }, ctx: z.RefinementCtx): void {
  const ids = new Set<string>();
  config.team.forEach((m, i) => {
    const memberId = isRecord(m) ? m.id : undefined;
    if (typeof memberId !== "string") return;
    if (ids.has(memberId)) ctx.addIssue({ code: "custom", path: ["team", i, "id"], message: `duplicate member id "${memberId}"` });
    ids.add(memberId);
  });
  config.routing.forEach((rule, i) => {
    const member = isRecord(rule) && isRecord(rule.to) ? rule.to.member : undefined;
    if (typeof member === "string" && !ids.has(member)) {
      ctx.addIssue({ code: "custom", path: ["routing", i, "to", "member"], message: `no team member "${member}"` });
    }
  });
  const schedules = (config as { schedules?: unknown }).schedules;
  if (!Array.isArray(schedules)) return;
  const scheduleIds = new Set<string>();
  schedules.forEach((s, i) => {
    if (!isRecord(s)) return;
    if (typeof s.id === "string") {
      if (scheduleIds.has(s.id)) ctx.addIssue({ code: "custom", path: ["schedules", i, "id"], message: `duplicate schedule id "${s.id}"` });
      scheduleIds.add(s.id);
    }
    const members = isRecord(s.rotation) && Array.isArray(s.rotation.members) ? s.rotation.members : [];
    members.forEach((m: unknown, j: number) => {
      if (typeof m === "string" && !ids.has(m)) ctx.addIssue({ code: "custom", path: ["schedules", i, "rotation", "members", j], message: `no team member "${m}"` });
    });
    (Array.isArray(s.overrides) ? s.overrides : []).forEach((o: unknown, j: number) => {
      const m = isRecord(o) ? o.member : undefined;
      if (typeof m === "string" && !ids.has(m)) ctx.addIssue({ code: "custom", path: ["schedules", i, "overrides", j, "member"], message: `no team member "${m}"` });
    });
  });
}

/** A business config as stored: validated, defaults filled, phones in E.164. */
export type BusinessConfig = z.output<typeof businessConfigSchema>;
export type BusinessConfigInput = z.input<typeof businessConfigSchema>;
export type Member = BusinessConfig["team"][number];
export type RoutingRule = BusinessConfig["routing"][number];

/** Every problem of a config as `{ path, message }`, for an operator to fix all at once. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  const at = (path: PropertyKey[]) => (path.length ? path.map(String).join(".") : "(root)");
  // An unknown key is reported at its own path, one entry per key, so the operator sees where it is.
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: at([...issue.path, key]), message: "unknown key" }))
      : [{ path: at(issue.path), message: issue.message }],
  );
}
