import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { leads } from "../db/schema/index.ts";
import type { BusinessRow } from "../core/records.ts";
import { bookedOutcomes } from "./metrics.ts";

/** One source's closed leads: by outcome, and how many of them were bookings. */
export interface SourceOutcomes {
  source: string;
  closed: number;
  booked: number;
  byOutcome: Record<string, number>;
}

/**
 * The console's "outcomes by source": the business's leads that came in within [from, to) and are
 * closed, counted by (source, outcome) in one grouped query over the `(business_id, created_at)`
 * index, as GET /api/metrics counts `outcomes` (booked = `booked` or the business's `booked: true`;
 * `unknown` for no source). Sources with the most closed leads first.
 */
export async function outcomesBySource(db: Db, business: BusinessRow, from: Date, to: Date): Promise<SourceOutcomes[]> {
  const rows = await db
    .select({ source: leads.source, outcome: leads.outcome, n: sql<number>`count(*)::int` })
    .from(leads)
    .where(and(eq(leads.businessId, business.id), gte(leads.createdAt, from), lt(leads.createdAt, to), eq(leads.state, "closed")))
    .groupBy(leads.source, leads.outcome);
  const booked = new Set(bookedOutcomes(business.config));
  const bySource = new Map<string, SourceOutcomes>();
  for (const r of rows) {
    const source = r.source ?? "unknown";
    const outcome = r.outcome ?? "unknown";
    const entry = bySource.get(source) ?? { source, closed: 0, booked: 0, byOutcome: {} };
    const n = Number(r.n);
    entry.closed += n;
    if (booked.has(outcome)) entry.booked += n;
    entry.byOutcome[outcome] = (entry.byOutcome[outcome] ?? 0) + n;
    bySource.set(source, entry);
  }
  return [...bySource.values()].sort((a, b) => b.closed - a.closed || a.source.localeCompare(b.source));
}
