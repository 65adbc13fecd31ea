import { bigserial, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { DELIVERY_STATUSES, OUTBOUND_EVENT_TYPES } from "../../domain/outbound-event.ts";

/**
 * The outbound events outbox (CONTRACT §13): one row per event and subscription, written in the
 * transaction that made the change, POSTed after it commits. `seq` orders a lead's events for
 * one subscription: a row is sent only when no earlier row of that pair is still pending.
 */
export const eventDeliveries = pgTable(
  "event_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Insertion order; a lead's transactions are serialised by its row lock, so this is its order of events. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    businessId: uuid("business_id").notNull(),
    leadId: uuid("lead_id"),
    /** The subscription's `id` in the business config. */
    webhookId: text("webhook_id").notNull(),
    /** Where it was first meant to go (the subscription's URL then); each attempt uses the current one. */
    url: text("url").notNull(),
    /** OUTBOUND_EVENT_TYPES */
    eventType: text("event_type", { enum: OUTBOUND_EVENT_TYPES }).notNull(),
    /**
     * The JSON body, fixed when the event happened: `{ type, timestamp, data: { lead } }`. Text, not
     * jsonb, so every attempt sends (and signs) the same bytes in the order written.
     */
    body: text("body").notNull(),
    /** DELIVERY_STATUSES: pending | delivered | failed */
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** Not attempted before this instant (the retry schedule). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    /** While an attempt is in flight, its lease: past it the sender is presumed dead and the row is claimable again. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    /** The last attempt's HTTP status, when it got one. */
    lastStatus: integer("last_status"),
    /** Why the last attempt failed (a status, a timeout, a refused connection). */
    lastError: text("last_error"),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("event_deliveries_status_next_attempt_at_idx").on(t.status, t.nextAttemptAt),
    index("event_deliveries_lead_id_webhook_id_seq_idx").on(t.leadId, t.webhookId, t.seq),
    index("event_deliveries_business_id_created_at_idx").on(t.businessId, t.createdAt),
  ],
);
