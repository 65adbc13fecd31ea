import type { Deps } from "../core/deps.ts";
import { cancelCanceledDeliveries } from "../core/qstash-timers.ts";
import { runDueOnce } from "../core/timer-store.ts";
import { scheduleEndOfDayReviews } from "../escalation/end-of-day-digest.ts";
import { scheduleQaReminders } from "../escalation/qa-reminder.ts";
import { fireTimer } from "../escalation/fire-timer.ts";
import { scheduleShiftStarts } from "../escalation/shift-starts.ts";
import { sweepOutbox } from "../messaging/outbox-sweep.ts";
import { scheduleReconciliations } from "../reconcile/state.ts";
import { sweepEvents } from "../events/event-sweep.ts";

/**
 * The safety net under any scheduler (a Workers Cron Trigger; a periodic sweep beside QStash on
 * Node): fires timers overdue by more than `graceMs` that no delivery fired (a failed publish,
 * QStash giving up while the gateway was down), makes sure every business has its next
 * end-of-day review, its next shift starts and a reconciliation run coming with each provider it is reconciled with
 * (on Workers the cron is what fires them, so `every` is at best its 5 minutes), deletes at QStash
 * the deliveries of canceled timers, and, when asked, sweeps the outbox (queued rows, held texts
 * now due, sends whose lease expired) and the outbound events due (retries, attempts never made).
 */
export async function runBackstop(
  deps: Deps,
  opts: { graceMs: number; outbox?: boolean },
): Promise<{ timers: number; canceled: number; outbox: number; events: number }> {
  // First, so a chain started here (a business just applied, the Worker's first cron) runs now,
  // not at the next cron five minutes on.
  await scheduleReconciliations(deps);
  const now = deps.clock.now();
  const fired = await runDueOnce({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    fire: async (t) => void (await fireTimer(deps, t)),
    dueBy: new Date(now.getTime() - opts.graceMs),
  });
  await scheduleEndOfDayReviews(deps);
  await scheduleQaReminders(deps);
  await scheduleShiftStarts(deps);
  const canceled = await cancelCanceledDeliveries(deps.db, deps.scheduler).catch((err) => {
    deps.logger.warn("canceling deliveries at the scheduler failed; will retry", { error: String(err) });
    return 0;
  });
  const outbox = opts.outbox ? await sweepOutbox(deps) : 0;
  const events = opts.outbox ? await sweepEvents(deps) : 0;
  return { timers: fired, canceled, outbox, events };
}
