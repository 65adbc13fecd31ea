import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { TIMER_KINDS, TIMER_STATUSES } from "../../domain/timers/timer-kind.ts";

/**
 * Wake-ups, not truth: a timer names a lead and a reason to look at it again at `dueAt`.
 * The firing re-reads the lead and does nothing if it moved on.
 */
export const timers = pgTable(
  "timers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id").notNull(),
    leadId: uuid("lead_id"),
    /** TIMER_KINDS: escalate | incomplete | end-of-day …; a row of a kind this build does not know is fired as a no-op. */
    kind: text("kind", { enum: TIMER_KINDS }).notNull(),
    /** Unique per intended firing, so scheduling the same wake-up twice makes one timer. */
    dedupeKey: text("dedupe_key").notNull().unique(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    /** pending → firing → fired | canceled */
    status: text("status", { enum: TIMER_STATUSES }).notNull().default("pending"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** A claimed timer is leased until then; a process that died mid-fire loses the lease. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    /** The QStash message id when the timer is delivered by QStash. */
    externalId: text("external_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    firedAt: timestamp("fired_at", { withTimezone: true }),
  },
  (t) => [index("timers_status_due_at_idx").on(t.status, t.dueAt), index("timers_lead_id_idx").on(t.leadId)],
);
