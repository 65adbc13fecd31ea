import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { leads } from "./leads.ts";

/**
 * What a connector made for a lead in another tool (HubSpot's contact and deal ids, Jobber's client and request ids), so a retry
 * or a later event updates those instead of making new ones: idempotent per lead.
 */
export const connectorLinks = pgTable(
  "connector_links",
  {
    leadId: uuid("lead_id").notNull().references(() => leads.id),
    /** `hubspot` | `jobber` */
    connector: text("connector").notNull(),
    external: jsonb("external").$type<Record<string, string>>().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.connector] })],
);
