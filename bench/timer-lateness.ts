/**
 * How late does the built-in timer loop fire? Schedules 100 timers spread over ~5 s the way the
 * app does (insert the row, then notify the loop), runs the loop on the system clock, and prints
 * the lateness of each firing (fired − due): median, p90, max.
 *
 *   npx tsx bench/timer-lateness.ts                    # embedded PGlite, in memory
 *   DATABASE_URL=postgres://… npx tsx bench/timer-lateness.ts   # a PostgreSQL database (its timers table is used)
 */
import { like } from "drizzle-orm";
import type { DbHandle } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { openPglite } from "../src/db/pglite.ts";
import { connectPostgres } from "../src/db/postgres.ts";
import { timers } from "../src/db/schema/timers.ts";
import { systemClock } from "../src/ports/clock/clock.ts";
import { consoleLogger } from "../src/ports/logger.ts";
import { localScheduler } from "../src/ports/scheduler/local.ts";
import { startTimerLoop } from "../src/ports/scheduler/timer-loop.ts";

const COUNT = 100;
const SPREAD_MS = 5_000;
/** Time to schedule all 100 before the first is due, so lateness measures the loop, not the inserts. */
const LEAD_IN_MS = 2_000;
const BENCH_BUSINESS_ID = "00000000-0000-4000-8000-00000000b0b0";

const url = process.env.DATABASE_URL;
const handle: DbHandle = url ? connectPostgres(url) : await openPglite();
await migrate(handle);
const runTag = `bench:${Date.now()}`;

const lateness: number[] = [];
let allFired!: () => void;
const done = new Promise<void>((resolve) => (allFired = resolve));

const loop = startTimerLoop({
  db: handle.db,
  clock: systemClock,
  logger: consoleLogger(),
  async fire(timer) {
    if (!timer.dedupeKey.startsWith(runTag)) return; // someone else's timer in a shared database
    lateness.push(Date.now() - timer.dueAt.getTime());
    if (lateness.length === COUNT) allFired();
  },
});
const scheduler = localScheduler(loop);

// The loop's sleeps do not keep the process alive on purpose; this deadline does, for the bench.
const deadline = setTimeout(() => {
  console.error(`only ${lateness.length}/${COUNT} timers fired within the deadline`);
  process.exit(1);
}, SPREAD_MS + 30_000);

// Evenly spread with a little jitter, scheduled in shuffled order so later-scheduled timers are
// often due before the loop's planned wake-up and notify() has to move it earlier.
const order = Array.from({ length: COUNT }, (_, i) => i).sort(() => Math.random() - 0.5);
const start = Date.now() + LEAD_IN_MS;
for (const i of order) {
  const dueAt = new Date(start + Math.round((i * SPREAD_MS) / COUNT + Math.random() * 20));
  const [row] = await handle.db
    .insert(timers)
    .values({ businessId: BENCH_BUSINESS_ID, kind: "bench", dedupeKey: `${runTag}:${i}`, dueAt, payload: {} })
    .returning();
  await scheduler.schedule({ timerId: row!.id, dueAt: row!.dueAt, dedupeKey: row!.dedupeKey });
}
const scheduledBy = Date.now();
if (scheduledBy > start) console.warn(`scheduling took past the first due time by ${scheduledBy - start} ms; early figures include it`);

await done;
clearTimeout(deadline);
await loop.stop();
// Leave a shared database as it was: only this run's rows go.
if (url) await handle.db.delete(timers).where(like(timers.dedupeKey, `${runTag}:%`));
await handle.close();

const sorted = [...lateness].sort((a, b) => a - b);
const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
console.log(
  `timer lateness on ${url ? "PostgreSQL" : "PGlite (in memory)"}, ${COUNT} timers over ${SPREAD_MS / 1000} s ` +
    `(all scheduled ${start - scheduledBy} ms before the first was due)`,
);
console.log(`  median ${pick(0.5)} ms   p90 ${pick(0.9)} ms   max ${sorted.at(-1)} ms   min ${sorted[0]} ms`);
