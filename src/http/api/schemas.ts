import { z } from "@hono/zod-openapi";
import { CHANNELS, FITS, LEAD_TYPES, OPPORTUNITIES, OUTCOMES, STATES, URGENCIES } from "../../domain/lead.ts";
import { LEAD_EVENT_TYPES } from "../../domain/lead-event.ts";
import { MESSAGE_CHANNELS, MESSAGE_PURPOSES, OUTBOX_STATUSES } from "../../domain/outbox-message.ts";

// What the API answers, as OpenAPI components. The request schemas are the ones the handlers
// validate with (domain/lead-input.ts, domain/business-config.ts); these describe the bodies the
// handlers build (core/records.ts toApiLead, admin/queries.ts). test/integration/openapi-*.test.ts
// checks real answers against them, undocumented keys included, so the two cannot drift apart.

export const instant = z.iso.datetime().openapi({ example: "2026-12-01T15:04:05.000Z" });
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

export const LeadEvent = z
  .object({
    at: instant,
    type: z.enum(LEAD_EVENT_TYPES),
    actor: z.string().openapi({ description: "Who did it: `system`, `api`, `member:<id>`, `intake`, …" }),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("LeadEvent");

export const Lead = z
  .object({
    id: z.uuid(),
    code: z.number().int().openapi({ description: "Per-business short code, the one texts and the CLI show.", example: 1042 }),
    business: z.string().openapi({ example: "acme" }),
    state: z.enum(STATES),
    fullName: nullable(z.string()),
    phone: nullable(z.string().openapi({ description: "E.164", example: "+15125550123" })),
    serviceAddress: nullable(z.string()),
    market: nullable(z.string()),
    serviceType: nullable(z.string()),
    urgency: nullable(z.enum(URGENCIES)),
    source: nullable(z.string()),
    summaryNotes: nullable(z.string()),
    promisedNextStep: nullable(z.string()),
    leadType: nullable(z.enum(LEAD_TYPES)),
    opportunity: nullable(z.enum(OPPORTUNITIES)),
    fit: nullable(z.enum(FITS)),
    referralContext: nullable(z.string()),
    followUpDate: nullable(z.iso.date()),
    channel: z.enum(CHANNELS),
    ownerId: nullable(z.string()),
    nextAction: nullable(z.string()).openapi({ description: "What the owner will do next, in their words (NEXT by text, or the API)." }),
    nextActionDueAt: nullable(instant),
    notes: z
      .array(z.object({ at: instant, by: z.string().openapi({ description: "A member id, or `api`." }), text: z.string() }))
      .openapi({ description: "Notes added after intake (NOTE by text, or the API), oldest first; `summaryNotes` stays intake's." }),
    pendingOwnerId: nullable(z.string()).openapi({ description: "A reassignment waiting for this member's ACCEPT; the owner keeps the lead until then." }),
    pendingOfferedAt: nullable(instant),
    missingFields: z.array(z.string()).openapi({ description: "Required fields still empty (SOP handoff contract)." }),
    fieldSources: z.record(z.string(), z.string()).openapi({ description: "Where each field came from: `vapi`, `heuristic`, `api`, `sms:<member>`, …" }),
    rejections: z.array(z.object({ reason: z.string(), by: z.string(), at: instant })),
    offeredTo: z.array(z.string()).openapi({ description: "Members the current offer is with." }),
    escalationLevel: z.number().int(),
    outcome: nullable(z.string()).openapi({ description: `${OUTCOMES.join(", ")}, or one of the business's own \`outcomes\`.` }),
    externalId: nullable(z.string()),
    recordingUrl: nullable(z.string()),
    transcript: nullable(z.string()),
    createdAt: instant,
    updatedAt: instant,
    offeredAt: nullable(instant),
    acceptedAt: nullable(instant),
    closedAt: nullable(instant),
    lastActionAt: nullable(instant),
    events: z.array(LeadEvent).optional().openapi({ description: "The lead's history, oldest first; on `GET /api/leads/{id}` and the actions." }),
  })
  .openapi("Lead");

export const nextCursor = z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last one." });

export const LeadPage = z.object({ leads: z.array(Lead), nextCursor }).openapi("LeadPage");

export const Message = z
  .object({
    id: z.uuid(),
    business: z.string(),
    leadId: z.uuid().nullable(),
    memberId: z.string().nullable(),
    to: z.string(),
    channel: z.enum(MESSAGE_CHANNELS),
    body: z.string().openapi({ description: "The text, or for a call what it says." }),
    purpose: z.enum(MESSAGE_PURPOSES),
    status: z.enum(OUTBOX_STATUSES),
    statusReason: z.string().nullable(),
    providerId: z.string().nullable(),
    attempts: z.number().int(),
    createdAt: instant,
    sendAfter: instant.nullable().openapi({ description: "Held until then (a customer text during quiet hours); null when it went at once." }),
    sentAt: instant.nullable(),
  })
  .openapi("Message");

export const MessagePage = z.object({ messages: z.array(Message), nextCursor }).openapi("MessagePage");

const BusinessVersion = z.object({ version: z.number().int(), appliedBy: z.string(), createdAt: instant });

/** A config as answered: its secrets masked (`********`); sending that back keeps the stored ones. */
const MaskedConfig = z.record(z.string(), z.unknown()).openapi({
  description: "The business config (see the `BusinessConfig` request schema), secrets shown as `********`.",
});

export const BusinessApplied = z
  .object({ slug: z.string(), version: z.number().int(), changed: z.boolean(), config: MaskedConfig })
  .openapi("BusinessApplied");

export const BusinessView = z
  .object({
    slug: z.string(),
    version: z.number().int(),
    config: MaskedConfig,
    versions: z.array(BusinessVersion),
    schedules: z
      .array(z.object({ id: z.string(), role: z.string(), icsUrl: z.url() }))
      .openapi({ description: "Each schedule's calendar feed at an unguessable URL that needs no token, for phone calendars." }),
  })
  .openapi("Business");

export const OnCall = z
  .object({
    at: instant,
    roles: z.record(
      z.string(),
      z.object({
        memberId: z.string().nullable(),
        name: z.string().nullable(),
        until: instant.nullable().openapi({ description: "When the shift ends (a scheduled role); null for a role without a schedule." }),
        fallback: z.string().optional().openapi({ description: "Set when the schedule had nobody on duty and the manager stands in." }),
      }),
    ),
  })
  .openapi("OnCall");

export const EndOfDayReview = z
  .object({
    business: z.string(),
    date: z.iso.date(),
    asOf: instant.openapi({ description: "The instant the list was judged at: now for today, that day's review time for a past date." }),
    reviewAt: instant.nullable().openapi({ description: "When that date's review is (or was) sent; null when it is not a business day." }),
    count: z.number().int(),
    leads: z.array(
      z.object({
        id: z.uuid(),
        code: z.number().int(),
        state: z.string(),
        ownerId: z.string().nullable(),
        ownerName: z.string().nullable(),
        urgency: z.string().nullable(),
        nextAction: z.string().nullable(),
        nextActionDueAt: instant.nullable(),
        lastActionAt: instant.nullable(),
        why: z.string(),
      }),
    ),
  })
  .openapi("EndOfDayReview");

/**
 * A request schema of domain/ (which knows nothing of OpenAPI) as a named component. Schemas
 * built before @hono/zod-openapi extended zod lack `.openapi()`, and import order decides which
 * those are, so the schema is rebuilt from its definition: same rules, now nameable.
 */
export function named<S extends z.ZodType>(schema: S, refId: string): S {
  const Rebuilt = schema.constructor as new (def: S["_zod"]["def"]) => S;
  return new Rebuilt(schema._zod.def).openapi(refId);
}

/** A business's API key as listed: never the key itself. */
export const ApiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: "The key's first characters, to tell keys apart.", example: "hk_x7Qa2" }),
    createdAt: instant,
    lastUsedAt: instant.nullable().openapi({ description: "Within a minute of the key's last request; null if never used." }),
  })
  .openapi("ApiKey");

export const ApiKeyCreated = ApiKey.extend({
  key: z.string().openapi({ description: "The key: `Authorization: Bearer <key>`. Shown only in this answer.", example: "hk_x7Qa2…" }),
}).openapi("ApiKeyCreated");

export const ApiKeyList = z.object({ keys: z.array(ApiKey) }).openapi("ApiKeyList");
