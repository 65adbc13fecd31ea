import { and, eq } from "drizzle-orm";
import { silentLogger } from "../../src/adapters/logger.ts";
import { runDueOnce } from "../../src/core/timer-store.ts";
import { timers } from "../../src/db/schema/index.ts";
import { fireTimer } from "../../src/escalation/fire-timer.ts";
import { reconcileRunner } from "../../src/reconcile/run.ts";
import { scheduleReconciliations } from "../../src/reconcile/state.ts";
import type { TestApp } from "./test-app.ts";

/** Retries between provider requests take a millisecond in tests instead of half a second. */
export function quickRetries(t: TestApp): void {
  t.deps.reconcile = reconcileRunner(t.deps, { delayMs: () => 1 });
}

/** What the timer machinery does: start the chains (as at start-up), fire what is due, let the processing finish. */
export async function reconcileNow(t: TestApp): Promise<number> {
  await scheduleReconciliations(t.deps);
  const fired = await runDueOnce({ db: t.deps.db, clock: t.clock, logger: silentLogger, fire: async (timer) => void (await fireTimer(t.deps, timer)) });
  await t.settle();
  return fired;
}

/**
 * Turns reconciliation off for the business and ends every chain, so the next test's runs are its
 * own business's only (the suite shares one database, and start-up restarts any chain that is on).
 */
export async function stopReconciling(t: TestApp, slug: string | undefined): Promise<void> {
  if (slug) {
    const { body } = await t.call("GET", `/api/businesses/${slug}`);
    const { reconcile: _off, ...config } = body.config;
    await t.call("PUT", `/api/businesses/${slug}`, config);
    await t.settle();
  }
  await t.deps.db.update(timers).set({ status: "canceled" }).where(and(eq(timers.kind, "reconcile"), eq(timers.status, "pending")));
}
