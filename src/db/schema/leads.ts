import { sql } from "drizzle-orm";
import { date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { CHANNELS, FITS, LEAD_TYPES, OPPORTUNITIES, STATES, URGENCIES, type FieldSources, type LeadNote, type Rejection } from "../../domain/lead.ts";
import { businesses } from "./businesses.ts";

/** The lead record of CONTRACT §3. Required-field columns are nullable: intake may not have them yet. */
export const leads = pgTable(
  "leads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id").notNull().references(() => businesses.id),
    code: integer("code").notNull(),
    state: text("state", { enum: STATES }).notNull(),
    fullName: text("full_name"),
    phone: text("phone"),
    serviceAddress: text("service_address"),
    market: text("market"),
    serviceType: text("service_type"),
    urgency: text("urgency", { enum: URGENCIES }),
    source: text("source"),
    summaryNotes: text("summary_notes"),
    promisedNextStep: text("promised_next_step"),
    ownerId: text("owner_id"),
    nextActionDueAt: timestamp("next_action_due_at", { withTimezone: true }),
    /** What the owner will do next, in their words (NEXT, CONTRACT §9); null until one is recorded. */
    nextAction: text("next_action"),
    /** Notes added after intake (NOTE), oldest first; `summaryNotes` stays intake's own. */
    notes: jsonb("notes").$type<LeadNote[]>().notNull().default(sql`'[]'::jsonb`),
    /** A reassignment waiting for its offeree's ACCEPT; the owner keeps the lead until then. */
    pendingOwnerId: text("pending_owner_id"),
    /** When that reassignment was offered: its window counts from here. */
    pendingOfferedAt: timestamp("pending_offered_at", { withTimezone: true }),
    /** Why it is being reassigned, for the record and the owner's notice when it is taken. */
    pendingReason: text("pending_reason"),
    leadType: text("lead_type", { enum: LEAD_TYPES }).notNull().default("service"),
    opportunity: text("opportunity", { enum: OPPORTUNITIES }).notNull().default("standard"),
    fit: text("fit", { enum: FITS }).notNull().default("unknown"),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    referralContext: text("referral_context"),
    followUpDate: date("follow_up_date", { mode: "string" }),
    /** Which source produced each field (provider, extractor, api, sms…). */
    fieldSources: jsonb("field_sources").$type<FieldSources>().notNull().default(sql`'{}'::jsonb`),
    rejections: jsonb("rejections").$type<Rejection[]>().notNull().default(sql`'[]'::jsonb`),
    /** Every member the current offer went to (first owner and escalation targets); any may accept. */
    offeredTo: jsonb("offered_to").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    escalationLevel: integer("escalation_level").notNull().default(0),
    /** `booked`, `lost`, `spam`, `duplicate`, or one of the business's own `outcomes`. */
    outcome: text("outcome"),
    externalId: text("external_id"),
    transcript: text("transcript"),
    recordingUrl: text("recording_url"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    offeredAt: timestamp("offered_at", { withTimezone: true }),
    /**
     * The first offer ever (a re-offer after a rejection keeps it): what makes a lead a handoff of
     * an ISO week (CONTRACT §12) and what time-to-offer counts to.
     */
    firstOfferedAt: timestamp("first_offered_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** The last recorded movement by a person (accept, note, action): what "no movement" timers read. */
    lastActionAt: timestamp("last_action_at", { withTimezone: true }),
  },
  (t) => [
    unique("leads_business_id_code_key").on(t.businessId, t.code),
    index("leads_business_id_phone_idx").on(t.businessId, t.phone),
    index("leads_business_id_state_idx").on(t.businessId, t.state),
    index("leads_created_at_idx").on(t.createdAt),
    // Metrics over a business's date range and the QA week's handoffs (docs/qa-metrics.md).
    index("leads_business_id_created_at_idx").on(t.businessId, t.createdAt),
    index("leads_business_id_first_offered_at_idx").on(t.businessId, t.firstOfferedAt),
  ],
);
