import { and, eq, inArray, sql } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import type { BusinessRow } from "../core/records.ts";
import { reconciliations, timers } from "../db/schema/index.ts";
import { RECONCILE_PROVIDERS, type ReconcileProvider } from "../domain/reconcile-config.ts";
import { reconcilePlan } from "./plan.ts";

/** One provider's reconciliation for a business: on or off (and why), the last run, its counts. */
export interface ProviderStatus {
  enabled: boolean;
  off: string | null;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  watermark: string | null;
  nextRunAt: string | null;
  seen: number;
  recovered: number;
  errors: number;
  lastError: string | null;
  totals: { runs: number; seen: number; recovered: number; errors: number };
}

/** What GET /api/reconciliation answers: the business and each provider's status. */
export type ReconciliationStatus = { business: string } & Record<ReconcileProvider, ProviderStatus>;

/** The body of GET /api/reconciliation for a business. */
export async function reconciliationOf(deps: Deps, business: BusinessRow): Promise<ReconciliationStatus> {
  const rows = await deps.db.select().from(reconciliations).where(eq(reconciliations.businessId, business.id));
  const next = await deps.db
    .select({ provider: sql<string>`${timers.payload}->>'provider'`, dueAt: sql<Date>`min(${timers.dueAt})`.mapWith(timers.dueAt) })
    .from(timers)
    .where(and(eq(timers.businessId, business.id), eq(timers.kind, "reconcile"), inArray(timers.status, ["pending", "firing"])))
    .groupBy(sql`${timers.payload}->>'provider'`);
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const one = (provider: ReconcileProvider): ProviderStatus => {
    const plan = reconcilePlan(business, deps.settings, provider);
    const row = rows.find((r) => r.provider === provider);
    return {
      enabled: !("off" in plan),
      off: "off" in plan ? plan.off : null,
      lastRunAt: iso(row?.lastRunAt),
      lastSuccessAt: iso(row?.lastSuccessAt),
      watermark: iso(row?.watermark),
      nextRunAt: iso(next.find((n) => n.provider === provider)?.dueAt),
      seen: row?.seen ?? 0,
      recovered: row?.recovered ?? 0,
      errors: row?.errors ?? 0,
      lastError: row?.lastError ?? null,
      totals: { runs: row?.totalRuns ?? 0, seen: row?.totalSeen ?? 0, recovered: row?.totalRecovered ?? 0, errors: row?.totalErrors ?? 0 },
    };
  };
  return { business: business.slug, ...(Object.fromEntries(RECONCILE_PROVIDERS.map((p) => [p, one(p)])) as Record<ReconcileProvider, ProviderStatus>) };
}
