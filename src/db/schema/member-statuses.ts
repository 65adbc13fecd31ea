import { boolean, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * A member's runtime status (AWAY / BACK by text, CONTRACT §9). Kept here, not in the business
 * config, so applying a new config version never undoes what a member said about themselves.
 */
export const memberStatuses = pgTable(
  "member_statuses",
  {
    businessId: uuid("business_id").notNull(),
    memberId: text("member_id").notNull(),
    /** true: routing and escalation skip the member until they text BACK. */
    away: boolean("away").notNull(),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: "member_statuses_pkey", columns: [t.businessId, t.memberId] })],
);
