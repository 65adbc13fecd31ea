import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { MESSAGE_CHANNELS, MESSAGE_PURPOSES, OUTBOX_STATUSES } from "../../domain/outbox-message.ts";

/**
 * The outbox: a row is written (what, to whom, why) in the same transaction as the decision,
 * then sent. The unique key makes a retried job or redelivered webhook unable to send twice.
 */
export const outboundMessages = pgTable(
  "outbound_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id").notNull(),
    leadId: uuid("lead_id"),
    memberId: text("member_id"),
    to: text("to").notNull(),
    /** MESSAGE_CHANNELS: sms | voice */
    channel: text("channel", { enum: MESSAGE_CHANNELS }).notNull(),
    /** For a call, what it says. */
    body: text("body").notNull(),
    /** MESSAGE_PURPOSES: offer, escalation, text-back, reply, digest, taken, rejected, incomplete… */
    purpose: text("purpose", { enum: MESSAGE_PURPOSES }).notNull(),
    /** OUTBOX_STATUSES: queued, sending (claimed, leased until locked_until), sent, delivered, failed, undelivered, suppressed, dry-run… */
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("queued"),
    statusReason: text("status_reason"),
    providerId: text("provider_id"),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    attempts: integer("attempts").notNull().default(0),
    /** Not sent before this instant (a customer text held by quiet hours); null: at once. */
    sendAfter: timestamp("send_after", { withTimezone: true }),
    /** While `sending`, the claim's lease: past it, the sender is presumed dead and the row is claimable again. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("outbound_messages_lead_id_idx").on(t.leadId),
    index("outbound_messages_business_id_created_at_idx").on(t.businessId, t.createdAt),
    index("outbound_messages_status_idx").on(t.status),
    index("outbound_messages_provider_id_idx").on(t.providerId),
  ],
);
