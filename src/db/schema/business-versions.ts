import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import type { BusinessConfig } from "../../domain/business-config.ts";
import { businesses } from "./businesses.ts";

/** Append-only history of every applied config, so an operator can see what changed and when. */
export const businessVersions = pgTable(
  "business_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id").notNull().references(() => businesses.id),
    version: integer("version").notNull(),
    config: jsonb("config").$type<BusinessConfig>().notNull(),
    appliedBy: text("applied_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("business_versions_business_id_version_key").on(t.businessId, t.version),
    index("business_versions_business_id_idx").on(t.businessId),
  ],
);
