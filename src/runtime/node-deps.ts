import type { DbHandle } from "../db/client.ts";
import { postgresDriverMended } from "../db/driver-mend.ts";
import { lockDataDir } from "../db/data-dir-lock.ts";
import { migrate } from "../db/migrate.ts";
import { openPglite } from "../db/pglite.ts";
import { connectPostgres } from "../db/postgres.ts";
import type { Background, Deps, Settings } from "../core/deps.ts";
import { inProcessBackground } from "./background.ts";
import { composeDeps } from "./compose.ts";
import { DEV_ADMIN_TOKEN, settingsFromEnv, type Env } from "./env.ts";
import { systemClock } from "../adapters/clock/clock.ts";
import type { Logger } from "../adapters/logger.ts";
import type { Scheduler } from "../adapters/scheduler/scheduler.ts";
import { extractorFromEnv, messagingFromEnv } from "./adapters-from-env.ts";
import { forgetCachedBusinesses } from "../admin/businesses.ts";
import { releaseAbandonedInbound } from "../core/inbox.ts";
import { releaseAbandonedSends } from "../core/outbox-claim.ts";
import { releaseAbandonedAttempts } from "../core/event-claim.ts";

/** Opens the database (PGlite behind a lock, or PostgreSQL) and brings its schema up to date. */
export async function openDatabase(env: Env, opts: { poolMax?: number } = {}): Promise<{ handle: DbHandle; unlock: () => Promise<void> }> {
  if (env.DATABASE_URL) {
    const handle = connectPostgres(env.DATABASE_URL, { max: opts.poolMax });
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

/**
 * The deps a Node process (the server, `handoff worker`) builds, with what its loops and its
 * shutdown need beside them. The scheduler is a placeholder until startNodeLoops sets it.
 */
export interface NodeDeps {
  deps: Deps;
  handle: DbHandle;
  /** Outbound event attempts wait on other people's servers (up to 15 s each): their own lane. */
  eventLane: Background;
  /** No new event attempts from now on: shutdown waits only for those in flight. */
  stopEvents(): void;
  /** Whether event attempts may still start. */
  eventsKeepGoing(): boolean;
  /** Waits for background work and event attempts, then closes (and unlocks) the database. */
  close(): Promise<void>;
}

/** Opens the database and builds the deps from the environment; `settings` overrides what it read. */
export async function buildNodeDeps(env: Env, opts: { logger: Logger; poolMax?: number; settings?: Partial<Settings> }): Promise<NodeDeps> {
  const { logger } = opts;
  if (env.DATABASE_URL && !postgresDriverMended()) {
    logger.warn("postgres.js is not mended (were install scripts skipped?): one connection PostgreSQL ends can crash this process. Run `node scripts/mend-postgres-driver.mjs`.");
  }
  const { handle, unlock } = await openDatabase(env, { poolMax: opts.poolMax });
  // After a connection drops, read businesses afresh: a webhook must not be acknowledged for a
  // business row that a recreated or restored database no longer has.
  handle.onConnectionClosed?.(() => forgetCachedBusinesses(handle.db));
  // Replaced by startNodeLoops: the loop's firings need the finished deps.
  const scheduler: Scheduler = { name: "starting", async schedule() {}, async cancel() {} };
  const eventLane = inProcessBackground(logger);
  let stopping = false;
  const eventsKeepGoing = () => !stopping;
  const deps = composeDeps({
    eventLane,
    eventsKeepGoing,
    db: handle.db,
    messaging: messagingFromEnv(env, { logger }),
    extractor: extractorFromEnv(env),
    scheduler,
    clock: systemClock,
    logger,
    settings: { ...settingsFromEnv(env, env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN), ...opts.settings },
    background: inProcessBackground(logger),
  });
  return {
    deps,
    handle,
    eventLane,
    stopEvents: () => void (stopping = true),
    eventsKeepGoing,
    async close() {
      stopping = true;
      await deps.background.drain();
      await eventLane.drain();
      await handle.close();
      await unlock();
    },
  };
}
