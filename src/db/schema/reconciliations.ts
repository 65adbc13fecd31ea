import { integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { RECONCILE_PROVIDERS } from "../../domain/reconcile-config.ts";

/**
 * Where each business's reconciliation with each provider stands (CONTRACT §14): the watermark
 * every call before which has been seen, and what the last run found. One row per business and
 * provider; a run holds it `FOR UPDATE` while it decides its successor.
 */
export const reconciliations = pgTable(
  "reconciliations",
  {
    businessId: uuid("business_id").notNull(),
    provider: text("provider", { enum: RECONCILE_PROVIDERS }).notNull(),
    /** Every call that ended before this was listed and ingested; null until a run completes. */
    watermark: timestamp("watermark", { withTimezone: true }),
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
    /** Calls (and texts) the last run listed for this business. */
    seen: integer("seen").notNull().default(0),
    /** Of those, how many no webhook had delivered: ingested by the last run. */
    recovered: integer("recovered").notNull().default(0),
    /** Runs failed since the last one that completed (0 when the last run completed). */
    errors: integer("errors").notNull().default(0),
    lastError: text("last_error"),
    totalRuns: integer("total_runs").notNull().default(0),
    totalSeen: integer("total_seen").notNull().default(0),
    totalRecovered: integer("total_recovered").notNull().default(0),
    totalErrors: integer("total_errors").notNull().default(0),
  },
  (t) => [primaryKey({ name: "reconciliations_pkey", columns: [t.businessId, t.provider] })],
);
