/**
 * How late does the built-in timer loop fire? Schedules 100 timers spread over ~5 s the way the
 * app does (insert the row, then notify the loop), runs the loop on the system clock, and prints
 * the lateness of each firing (fired − due): median, p90, max.
 *
 * With `escalations`, it measures the whole path instead: 50 real leads offered 50 ms apart in a
 * business with a 3-second acceptance window, the loop firing `fireTimer`, and the lateness of
 * each recorded escalation (escalated event − offer + window), lock, re-read, outbox row and
 * next rung included.
 *
 *   npx tsx bench/timer-lateness.ts                    # embedded PGlite, in memory
 *   npx tsx bench/timer-lateness.ts escalations        # the escalation path, on PGlite
 *   DATABASE_URL=postgres://… npx tsx bench/timer-lateness.ts [escalations]
 *
 * On PostgreSQL use a throwaway database: the loop claims every due timer it finds there.
 */
import { readFile } from "node:fs/promises";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import type { DbHandle } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { openPglite } from "../src/db/pglite.ts";
import { connectPostgres } from "../src/db/postgres.ts";
import { leadEvents, leads } from "../src/db/schema/index.ts";
import { timers } from "../src/db/schema/timers.ts";
import { inProcessBackground } from "../src/runtime/background.ts";
import { composeDeps } from "../src/runtime/compose.ts";
import { heuristicExtractor } from "../src/adapters/extractor/heuristic/index.ts";
import { dryRunMessaging } from "../src/adapters/messaging/dry-run.ts";
import { systemClock } from "../src/adapters/clock/clock.ts";
import { consoleLogger, silentLogger } from "../src/adapters/logger.ts";
import { localScheduler } from "../src/adapters/scheduler/local.ts";
import { startTimerLoop } from "../src/core/timer-loop.ts";
import { applyBusinessConfig } from "../src/admin/businesses.ts";
import { fireTimer } from "../src/escalation/fire-timer.ts";
import { receiveLead } from "../src/intake/receive-lead.ts";

const COUNT = 100;
const SPREAD_MS = 5_000;
/** Time to schedule all 100 before the first is due, so lateness measures the loop, not the inserts. */
const LEAD_IN_MS = 2_000;
const BENCH_BUSINESS_ID = "00000000-0000-4000-8000-00000000b0b0";

const url = process.env.DATABASE_URL;
const handle: DbHandle = url ? connectPostgres(url) : await openPglite();
await migrate(handle);
const runTag = `bench:${Date.now()}`;

if (process.argv.includes("escalations")) {
  await escalationLateness();
  process.exit(0);
}

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
    // Any kind: this loop's fire only measures lateness.
    .values({ businessId: BENCH_BUSINESS_ID, kind: "escalate", dedupeKey: `${runTag}:${i}`, dueAt, payload: {} })
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

/** Lateness of real escalations: offer → window → the loop fires → `escalated` recorded. */
async function escalationLateness(): Promise<void> {
  const LEADS = 50;
  const WINDOW_MS = 3_000;
  const logger = silentLogger;
  const deps = composeDeps({
    db: handle.db,
    messaging: dryRunMessaging(() => {}),
    extractor: heuristicExtractor(),
    scheduler: { name: "starting", async schedule() {}, async cancel() {} },
    clock: systemClock,
    logger,
    settings: { publicUrl: null, adminToken: "bench", secrets: {}, qstash: {} },
    background: inProcessBackground(logger),
  });
  const loop = startTimerLoop({ db: handle.db, clock: systemClock, logger, fire: async (t) => void (await fireTimer(deps, t)) });
  deps.scheduler = localScheduler(loop);

  const config = JSON.parse(await readFile(new URL("../fixtures/demo-business.json", import.meta.url), "utf8"));
  config.slug = `bench-${Date.now()}`;
  config.escalation.standard.acceptWithin = `${WINDOW_MS / 1000}s`;
  config.escalation.repeat = { every: "1h", maxRepeats: 0 };
  const { business } = await applyBusinessConfig(handle.db, config, { appliedBy: "bench", now: new Date() });

  const ids: string[] = [];
  for (let i = 0; i < LEADS; i++) {
    const fields = {
      fullName: `Bench Lead ${i}`, phone: `+1512555${String(1000 + i).padStart(4, "0")}`, serviceAddress: "12 Elm St",
      serviceType: "plumbing", urgency: "standard" as const, source: "bench", summaryNotes: "Leaking sink", promisedNextStep: "Call back",
    };
    const { lead } = await receiveLead(deps, { business, fields, sources: {}, channel: "manual", actor: "bench" });
    ids.push(lead.id);
    await new Promise((r) => setTimeout(r, 50));
  }

  const deadline = Date.now() + WINDOW_MS + LEADS * 50 + 30_000;
  let rows: { at: Date; offeredAt: Date | null }[] = [];
  while (Date.now() < deadline) {
    rows = await handle.db
      .select({ at: leadEvents.at, offeredAt: leads.offeredAt })
      .from(leadEvents)
      .innerJoin(leads, eq(leads.id, leadEvents.leadId))
      .where(and(inArray(leadEvents.leadId, ids), eq(leadEvents.type, "escalated"), sql`(${leadEvents.detail}->>'level')::int = 1`));
    if (rows.length >= LEADS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await loop.stop();
  await deps.background.drain();
  await handle.close();
  if (rows.length < LEADS) {
    console.error(`only ${rows.length}/${LEADS} leads escalated within the deadline`);
    process.exit(1);
  }
  const late = rows.map((r) => r.at.getTime() - (r.offeredAt!.getTime() + WINDOW_MS)).sort((a, b) => a - b);
  const q = (p: number) => late[Math.min(late.length - 1, Math.ceil(p * late.length) - 1)]!;
  console.log(`escalation lateness on ${url ? "PostgreSQL" : "PGlite (in memory)"}, ${LEADS} leads offered 50 ms apart, ${WINDOW_MS / 1000} s window`);
  console.log(`  median ${q(0.5)} ms   p90 ${q(0.9)} ms   max ${late.at(-1)} ms   min ${late[0]} ms`);
}
