import { createApp } from "../app.ts";
import { nodeConsoleScript, nodeDocsScript } from "./docs-script.ts";
import type { DbHandle } from "../db/client.ts";
import { postgresDriverMended } from "../db/driver-mend.ts";
import { lockDataDir } from "../db/data-dir-lock.ts";
import { migrate } from "../db/migrate.ts";
import { openPglite } from "../db/pglite.ts";
import { connectPostgres } from "../db/postgres.ts";
import { loadDemoIfEmpty } from "./demo.ts";
import type { Deps } from "../core/deps.ts";
import { inProcessBackground } from "./background.ts";
import { runBackstop } from "./backstop.ts";
import { composeDeps } from "./compose.ts";
import { DEV_ADMIN_TOKEN, settingsFromEnv, type Env } from "./env.ts";
import { systemClock } from "../adapters/clock/clock.ts";
import { consoleLogger, type Logger } from "../adapters/logger.ts";
import { localScheduler } from "../adapters/scheduler/local.ts";
import { qstashScheduler } from "../adapters/scheduler/qstash.ts";
import { qstashTimerScheduler } from "../core/qstash-timers.ts";
import type { Scheduler } from "../adapters/scheduler/scheduler.ts";
import { startTimerLoop } from "../core/timer-loop.ts";
import { extractorFromEnv, messagingFromEnv } from "./adapters-from-env.ts";
import { forgetCachedBusinesses } from "../admin/businesses.ts";
import { releaseAbandonedInbound } from "../core/inbox.ts";
import { sweepOutbox } from "../messaging/outbox-sweep.ts";
import { sweepEvents } from "../events/event-sweep.ts";
import { releaseAbandonedSends } from "../core/outbox-claim.ts";
import { releaseAbandonedAttempts } from "../core/event-claim.ts";
import { sweepInbox } from "../intake/inbox-sweep.ts";
import { scheduleEndOfDayReviews } from "../escalation/end-of-day-digest.ts";
import { scheduleQaReminders } from "../escalation/qa-reminder.ts";
import { scheduleShiftStarts } from "../escalation/shift-starts.ts";
import { fireTimer } from "../escalation/fire-timer.ts";
import { scheduleReconciliations } from "../reconcile/state.ts";

/** How often the timer backstop (QStash) or the end-of-day check (loop) runs. */
const TIMER_CHECK_EVERY_MS = 60_000;
/** Beside QStash, the backstop fires only what QStash has not delivered a minute after it was due. */
const QSTASH_BACKSTOP_GRACE_MS = 60_000;

/**
 * Timers on QStash when QSTASH_TOKEN is set, otherwise on the built-in loop (CONTRACT §1); sets
 * `deps.scheduler`. Either way, what came due while the gateway was down fires once it is back:
 * the loop fires overdue timers as it starts; beside QStash a backstop sweep does.
 */
function startTimers(env: Env, deps: Deps): { stop(): Promise<void> } {
  const every = (name: string, task: () => Promise<unknown>) => {
    const handle = setInterval(() => deps.background.defer(name, async () => void (await task())), TIMER_CHECK_EVERY_MS);
    handle.unref();
    return handle;
  };
  if (env.QSTASH_TOKEN) {
    if (!env.PUBLIC_URL) {
      throw new Error("QSTASH_TOKEN is set but PUBLIC_URL is not: QStash delivers timers to <PUBLIC_URL>/webhooks/qstash.");
    }
    if (!env.QSTASH_CURRENT_SIGNING_KEY) {
      deps.logger.warn("QSTASH_CURRENT_SIGNING_KEY is not set: QStash deliveries are refused (401) and timers fire only through the backstop, a minute late.");
    }
    deps.scheduler = qstashTimerScheduler(deps.db, qstashScheduler({ token: env.QSTASH_TOKEN, baseUrl: env.QSTASH_URL, publicUrl: env.PUBLIC_URL }));
    const backstop = every("timer backstop", () => runBackstop(deps, { graceMs: QSTASH_BACKSTOP_GRACE_MS }));
    return { stop: async () => clearInterval(backstop) };
  }
  const loop = startTimerLoop({ db: deps.db, clock: deps.clock, logger: deps.logger, fire: async (timer) => void (await fireTimer(deps, timer)) });
  deps.scheduler = localScheduler(loop);
  // A business applied while running gets its first end-of-day review, and its first
  // reconciliation run, without a restart.
  const reviews = every("schedule end-of-day reviews, QA reminders and shift starts", async () => {
    await scheduleEndOfDayReviews(deps);
    await scheduleQaReminders(deps);
    await scheduleShiftStarts(deps);
  });
  const reconciliations = every("schedule reconciliations", () => scheduleReconciliations(deps));
  return {
    async stop() {
      clearInterval(reviews);
      clearInterval(reconciliations);
      await loop.stop();
    },
  };
}

/** A running gateway on Node: its app, deps, and how to stop it cleanly. */
export interface NodeRuntime {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  db: DbHandle;
  demoLoaded: Awaited<ReturnType<typeof loadDemoIfEmpty>>;
  stop(): Promise<void>;
}

/** Opens the database (PGlite behind a lock, or PostgreSQL) and brings its schema up to date. */
export async function openDatabase(env: Env): Promise<{ handle: DbHandle; unlock: () => Promise<void> }> {
  if (env.DATABASE_URL) {
    const handle = connectPostgres(env.DATABASE_URL);
    await migrate(handle);
    return { handle, unlock: async () => {} };
  }
  const unlock = await lockDataDir(env.DATA_DIR);
  try {
    const handle = await openPglite(env.DATA_DIR);
    await migrate(handle);
    await releaseAbandonedInbound(handle.db);
    await releaseAbandonedSends(handle.db, new Date());
    await releaseAbandonedAttempts(handle.db, new Date());
    return { handle, unlock };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** Builds the deps from the environment and starts the background loops. */
export async function startNodeRuntime(env: Env, opts: { logger?: Logger } = {}): Promise<NodeRuntime> {
  const logger = opts.logger ?? consoleLogger();
  if (env.DATABASE_URL && !postgresDriverMended()) {
    logger.warn("postgres.js is not mended (were install scripts skipped?): one connection PostgreSQL ends can crash this process. Run `node scripts/mend-postgres-driver.mjs`.");
  }
  const { handle, unlock } = await openDatabase(env);
  // After a connection drops, read businesses afresh: a webhook must not be acknowledged for a
  // business row that a recreated or restored database no longer has.
  handle.onConnectionClosed?.(() => forgetCachedBusinesses(handle.db));
  // Replaced by startTimers below: the loop's firings need the finished deps.
  const scheduler: Scheduler = { name: "starting", async schedule() {}, async cancel() {} };
  const extractor = extractorFromEnv(env);
  // Outbound event attempts wait on other people's servers (up to 15 s each): their own lane.
  const eventLane = inProcessBackground(logger);
  // Once stopping, no new attempts: stop() waits only for those in flight (each at most 15 s).
  let stopping = false;
  const eventsKeepGoing = () => !stopping;
  const deps = composeDeps({
    eventLane,
    eventsKeepGoing,
    db: handle.db,
    messaging: messagingFromEnv(env, { logger }),
    extractor,
    scheduler,
    clock: systemClock,
    logger,
    settings: settingsFromEnv(env, env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN),
    background: inProcessBackground(logger),
  });
  let timers: { stop(): Promise<void> };
  try {
    timers = startTimers(env, deps);
  } catch (err) {
    await handle.close();
    await unlock();
    throw err;
  }
  const demoLoaded = await loadDemoIfEmpty(deps.db, deps.clock.now());
  deps.background.defer("schedule end-of-day reviews", () => scheduleEndOfDayReviews(deps));
  deps.background.defer("schedule QA reminders", () => scheduleQaReminders(deps));
  deps.background.defer("schedule shift starts", () => scheduleShiftStarts(deps));
  // Due at once: calls that ended while the gateway was down are looked for as soon as it is up.
  deps.background.defer("schedule reconciliations", async () => void (await scheduleReconciliations(deps)));

  // Webhooks stored but not processed (a crash after the 2xx, a failed extraction), messages
  // left queued, customer texts whose quiet hours ended and sends abandoned mid-way (lease
  // expired) are retried here; inbox and outbox claims keep each to one effect.
  let sweepingEvents = false;
  const sweep = (outboxAge: number) => {
    deps.background.defer("sweep inbox", async () => void (await sweepInbox(deps)));
    deps.background.defer("sweep outbox", async () => void (await sweepOutbox(deps, outboxAge)));
    // One events sweep at a time: against a dead receiver a sweep can outlast the interval.
    if (!sweepingEvents) {
      sweepingEvents = true;
      eventLane.defer("sweep events", async () => {
        try {
          await sweepEvents(deps, 100, eventsKeepGoing);
        } finally {
          sweepingEvents = false;
        }
      });
    }
  };
  const sweeper = setInterval(() => sweep(5_000), 5_000);
  sweeper.unref();
  sweep(0);

  return {
    app: createApp(deps, { docsScript: nodeDocsScript(), consoleScript: nodeConsoleScript(), prometheus: { token: env.METRICS_TOKEN } }),
    deps,
    db: handle,
    demoLoaded,
    async stop() {
      clearInterval(sweeper);
      stopping = true;
      await timers.stop();
      await deps.background.drain();
      await eventLane.drain();
      await handle.close();
      await unlock();
    },
  };
}
