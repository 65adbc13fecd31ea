import { and, eq, inArray, sql } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import type { BusinessRow } from "../core/records.ts";
import { scheduleTimer, transact, type Work } from "../core/transact.ts";
import { businesses, reconciliations, timers } from "../db/schema/index.ts";
import type { ReconcileProvider } from "../domain/reconcile-config.ts";
import { reconcileTimer } from "../domain/timers/index.ts";
import { plannedProviders } from "./plan.ts";

export type ReconcileState = typeof reconciliations.$inferSelect;

/** The business's row for the provider, made if missing and locked for the rest of the transaction. */
export async function lockState(work: Work, businessId: string, provider: ReconcileProvider): Promise<ReconcileState> {
  await work.tx.insert(reconciliations).values({ businessId, provider }).onConflictDoNothing();
  const [row] = await work.tx
    .select()
    .from(reconciliations)
    .where(and(eq(reconciliations.businessId, businessId), eq(reconciliations.provider, provider)))
    .for("update");
  return row!;
}

/** The row as it stands, without locking (a run reads its watermark before it lists). */
export async function readState(deps: Deps, businessId: string, provider: ReconcileProvider): Promise<ReconcileState | null> {
  const [row] = await deps.db
    .select()
    .from(reconciliations)
    .where(and(eq(reconciliations.businessId, businessId), eq(reconciliations.provider, provider)));
  return row ?? null;
}

/** What one run came to. */
export type RunResult =
  | { ok: true; seen: number; recovered: number; watermark: Date }
  | { ok: false; seen: number; recovered: number; error: string; retryAfterMs: number | null };

/**
 * Records a run and sets its successor in one transaction, so a run fired twice (its lease ran
 * out) still has exactly one: the successor's key names the run's own timer.
 */
export async function finishRun(
  deps: Deps,
  run: { timerId: string; businessId: string; provider: ReconcileProvider; startedAt: Date },
  result: RunResult,
  nextAt: (state: ReconcileState) => Date,
): Promise<ReconcileState> {
  return transact(deps, async (work) => {
    const before = await lockState(work, run.businessId, run.provider);
    const errors = result.ok ? 0 : before.errors + 1;
    const [after] = await work.tx
      .update(reconciliations)
      .set({
        lastRunAt: run.startedAt,
        seen: result.seen,
        recovered: result.recovered,
        errors,
        totalRuns: sql`${reconciliations.totalRuns} + 1`,
        totalSeen: sql`${reconciliations.totalSeen} + ${result.seen}`,
        totalRecovered: sql`${reconciliations.totalRecovered} + ${result.recovered}`,
        ...(result.ok
          ? { watermark: result.watermark, lastSuccessAt: run.startedAt, lastError: null }
          : { lastError: result.error.slice(0, 1_000), totalErrors: sql`${reconciliations.totalErrors} + 1` }),
      })
      .where(and(eq(reconciliations.businessId, run.businessId), eq(reconciliations.provider, run.provider)))
      .returning();
    await scheduleTimer(work, {
      businessId: run.businessId,
      leadId: null,
      kind: "reconcile",
      dueAt: nextAt(after!),
      key: reconcileTimer.key({ businessId: run.businessId, provider: run.provider, after: run.timerId }),
      payload: { provider: run.provider },
    });
    return after!;
  });
}

/**
 * Makes sure every business has a run coming with every provider it is reconciled with: at
 * start-up (due at once, so calls missed while the gateway was down are looked for now), when a
 * provider is turned on, and by the backstop should a chain have broken. Idempotent: a run
 * pending or under way is left alone, and the state row's lock keeps two processes from both
 * starting one.
 */
export async function scheduleReconciliations(deps: Deps): Promise<number> {
  const all = await deps.db.select().from(businesses);
  let started = 0;
  for (const business of all) {
    for (const plan of plannedProviders(business, deps.settings)) {
      if (await startChain(deps, business, plan.provider)) started++;
    }
  }
  return started;
}

async function startChain(deps: Deps, business: BusinessRow, provider: ReconcileProvider): Promise<boolean> {
  return transact(deps, async (work) => {
    await lockState(work, business.id, provider);
    const [coming] = await work.tx
      .select({ id: timers.id })
      .from(timers)
      .where(
        and(
          eq(timers.businessId, business.id),
          eq(timers.kind, "reconcile"),
          inArray(timers.status, ["pending", "firing"]),
          sql`${timers.payload}->>'provider' = ${provider}`,
        ),
      )
      .limit(1);
    if (coming) return false;
    await scheduleTimer(work, {
      businessId: business.id,
      leadId: null,
      kind: "reconcile",
      dueAt: work.now,
      key: reconcileTimer.key({ businessId: business.id, provider, after: `start:${work.now.getTime()}` }),
      payload: { provider },
    });
    return true;
  });
}
