import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ASK_CHANNELS, ASK_STATUSES } from "../../domain/ask-customer.ts";
import { leads } from "./leads.ts";

/**
 * Asking a caller for what their record lacks (CONTRACT §15): one row per lead, the conversation
 * as it stands (the field asked now, which were asked and answered, whether that one was asked
 * again), and for an AI callback the provider's call id its end-of-call webhook is matched by.
 */
export const customerAsks = pgTable(
  "customer_asks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    leadId: uuid("lead_id").notNull().unique().references(() => leads.id),
    businessId: uuid("business_id").notNull(),
    /** The caller, E.164: their texts are the answers. */
    phone: text("phone").notNull(),
    /** ASK_CHANNELS: sms (a text per field) | voice (an AI callback). */
    channel: text("channel", { enum: ASK_CHANNELS }).notNull(),
    /** The field the last question asked for: the expected one in the caller's next reply. */
    field: text("field").notNull(),
    /** The fields asked so far, in order (at most askCustomer.maxQuestions; a callback asks them at once). */
    askedFields: jsonb("asked_fields").$type<string[]>().notNull(),
    /** The asked fields an answer filled (each recorded once as an `answered` event). */
    answeredFields: jsonb("answered_fields").$type<string[]>().notNull().default([]),
    /** Whether the current field was asked a second time (an answer that did not fit). */
    reasked: boolean("reasked").notNull().default(false),
    /** ASK_STATUSES: open (waiting for the caller) | closed. */
    status: text("status", { enum: ASK_STATUSES }).notNull().default("open"),
    /** Why it closed: completed, offered, no answer, did not fit, opted out, … */
    closedReason: text("closed_reason"),
    /** Set when intake was told while the ask stayed open (quiet hours held the question). */
    intakeToldAt: timestamp("intake_told_at", { withTimezone: true }),
    /** AI callback: the provider and its call id, set once the call is placed. */
    callProvider: text("call_provider"),
    callId: text("call_id"),
    /** AI callback: when a firing claimed the call, so a duplicate firing does not place a second. */
    callClaimedAt: timestamp("call_claimed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("customer_asks_business_id_phone_status_idx").on(t.businessId, t.phone, t.status),
    index("customer_asks_call_id_idx").on(t.callId),
  ],
);
