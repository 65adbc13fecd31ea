import { integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { BusinessConfig } from "../../domain/business-config.ts";

/** One tenant. `config` is the current version; every version is kept in business_versions. */
export const businesses = pgTable("businesses", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  config: jsonb("config").$type<BusinessConfig>().notNull(),
  version: integer("version").notNull(),
  /** The next short lead code handed out for this business (owners type it in SMS). */
  nextLeadCode: integer("next_lead_code").notNull().default(1001),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
