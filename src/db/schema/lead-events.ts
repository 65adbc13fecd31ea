import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { LEAD_EVENT_TYPES } from "../../domain/lead-event.ts";
import { leads } from "./leads.ts";

/** Append-only history of a lead: `{ at, type, actor, detail }`. Never updated, never deleted. */
export const leadEvents = pgTable(
  "lead_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    leadId: uuid("lead_id").notNull().references(() => leads.id),
    at: timestamp("at", { withTimezone: true }).notNull(),
    type: text("type", { enum: LEAD_EVENT_TYPES }).notNull(),
    actor: text("actor").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index("lead_events_lead_id_idx").on(t.leadId, t.id),
    // The metrics' escalations and answers (admin/metrics.ts) and the counters of GET /metrics read entries by type.
    index("lead_events_type_lead_id_idx").on(t.type, t.leadId),
  ],
);
