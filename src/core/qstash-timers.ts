import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { timers } from "../db/schema/timers.ts";
import type { QstashScheduler } from "../adapters/scheduler/qstash.ts";
import type { Scheduler } from "../adapters/scheduler/scheduler.ts";

/**
 * The QStash scheduler as the app uses it: each publish's message id is kept in
 * `timers.external_id`, so a wake-up whose reason went away (the lead was accepted or closed)
 * can be deleted at QStash instead of being delivered for nothing.
 */
export function qstashTimerScheduler(db: Db, qstash: QstashScheduler): Scheduler {
  return {
    name: "qstash",
    async schedule(timer) {
      const messageId = await qstash.publishTimer(timer);
      await db.update(timers).set({ externalId: messageId }).where(eq(timers.id, timer.timerId));
    },
    cancel: (timer) => qstash.cancel(timer),
  };
}

/**
 * Deletes at the scheduler the deliveries of timers the database canceled (an accepted or closed
 * lead's wake-ups) and clears their external id, so each is canceled once. Best effort: a
 * delivery that arrives anyway finds its timer canceled and does nothing. Resolves with how many
 * were canceled.
 */
export async function cancelCanceledDeliveries(db: Db, scheduler: Scheduler, limit = 100): Promise<number> {
  const rows = await db
    .select({ id: timers.id, externalId: timers.externalId })
    .from(timers)
    .where(and(eq(timers.status, "canceled"), isNotNull(timers.externalId)))
    .orderBy(asc(timers.dueAt))
    .limit(limit);
  let canceled = 0;
  for (const row of rows) {
    await scheduler.cancel({ timerId: row.id, externalId: row.externalId });
    await db.update(timers).set({ externalId: null }).where(and(eq(timers.id, row.id), eq(timers.status, "canceled")));
    canceled++;
  }
  return canceled;
}
