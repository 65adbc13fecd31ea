import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** A forged or unverifiable webhook stores nothing but this count. */
export const webhookRejections = pgTable(
  "webhook_rejections",
  {
    business: text("business").notNull(),
    provider: text("provider").notNull(),
    reason: text("reason").notNull(),
    count: integer("count").notNull().default(0),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "webhook_rejections_pkey", columns: [t.business, t.provider, t.reason] })],
);
