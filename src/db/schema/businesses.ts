import { integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { BusinessConfig } from "../../domain/business-config.ts";

/** One tenant. `config` is the current version; every version is kept in business_versions. */
export const businesses = pgTable("businesses", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  config: jsonb("config").$type<BusinessConfig>().notNull(),
  version: integer("version").notNull(),
  /**
   * The first short lead code of this business (owners type codes in SMS). Codes are drawn from
   * the sequence `lead_code_<id without dashes>`, made by a trigger on insert (drizzle/0011).
   */
  nextLeadCode: integer("next_lead_code").notNull().default(1001),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
