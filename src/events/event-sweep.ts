import { asc } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { claimableDelivery } from "../core/event-claim.ts";
import { eventDeliveries } from "../db/schema/index.ts";
import { deliverEvents } from "./deliver-event.ts";

/** How many leads' events go out side by side on a sweep: one dead receiver must not hold up the others. */
const SIDE_BY_SIDE = 8;

/**
 * Attempts every delivery that is due: retries whose wait is over, rows whose after-commit
 * attempt never ran (a crash, a Worker cut short) and attempts whose sender died (lease expired).
 * Each row found is the first pending event of its lead and subscription, so the chains run side
 * by side and each in order. Called on a timer (Node) and by the Workers cron.
 */
export async function sweepEvents(deps: Deps, limit = 100, keepGoing: () => boolean = () => true): Promise<number> {
  const rows = await deps.db
    .select({ id: eventDeliveries.id })
    .from(eventDeliveries)
    .where(claimableDelivery(deps.clock.now()))
    .orderBy(asc(eventDeliveries.seq))
    .limit(limit);
  const queue = rows.map((r) => r.id);
  let attempted = 0;
  const worker = async () => {
    for (let id = queue.shift(); id && keepGoing(); id = queue.shift()) attempted += await deliverEvents(deps, [id], keepGoing);
  };
  await Promise.all(Array.from({ length: Math.min(SIDE_BY_SIDE, queue.length) }, worker));
  return attempted;
}
