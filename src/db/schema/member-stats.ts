import { doublePrecision, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Round-robin state: a role held by several members is served least recently offered first, or by
 * `pass` when their weights differ (domain/round-robin.ts); `pass` is null until routing sets it.
 */
export const memberStats = pgTable(
  "member_stats",
  {
    businessId: uuid("business_id").notNull(),
    memberId: text("member_id").notNull(),
    lastOfferedAt: timestamp("last_offered_at", { withTimezone: true }).notNull(),
    pass: doublePrecision("pass"),
  },
  (t) => [primaryKey({ name: "member_stats_pkey", columns: [t.businessId, t.memberId] })],
);
