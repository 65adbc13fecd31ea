import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { INBOUND_STATUSES } from "../../domain/inbound-event.ts";

/**
 * The inbox: every verified webhook's raw payload, stored before the 2xx under a unique provider
 * event id, so a redelivery is recognised and a crash between the 2xx and processing loses nothing.
 */
export const inboundEvents = pgTable(
  "inbound_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id"),
    provider: text("provider").notNull(),
    /** `<provider>:<provider event id>`, e.g. `retell:call_123:call_analyzed`. */
    idempotencyKey: text("idempotency_key").notNull().unique(),
    rawBody: text("raw_body").notNull(),
    headers: jsonb("headers").$type<Record<string, string>>().notNull(),
    /** INBOUND_STATUSES: received → processing → processed | superseded | failed (retried); ignored, malformed. */
    status: text("status", { enum: INBOUND_STATUSES }).notNull().default("received"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    leadId: uuid("lead_id"),
    /** How it reached us: pushed by the provider (`webhook`) or pulled from its API (`reconciliation`). */
    origin: text("origin", { enum: ["webhook", "reconciliation"] }).notNull().default("webhook"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [index("inbound_events_status_idx").on(t.status, t.receivedAt)],
);
