import { boolean, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** STOP/START per phone number and business; nothing is texted to an opted-out number. */
export const optOuts = pgTable(
  "opt_outs",
  {
    businessId: uuid("business_id").notNull(),
    phone: text("phone").notNull(),
    optedOut: boolean("opted_out").notNull(),
    keyword: text("keyword").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "opt_outs_pkey", columns: [t.businessId, t.phone] })],
);
