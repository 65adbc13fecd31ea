import { createApp } from "./app.ts";
import type { DbHandle } from "./db/client.ts";
import { lockDataDir } from "./db/data-dir-lock.ts";
import { migrate } from "./db/migrate.ts";
import { openPglite } from "./db/pglite.ts";
import { connectPostgres } from "./db/postgres.ts";
import { loadDemoIfEmpty } from "./demo.ts";
import { inProcessBackground, type Deps } from "./deps.ts";
import { DEV_ADMIN_TOKEN, type Env } from "./env.ts";
import { systemClock } from "./ports/clock/clock.ts";
import { consoleLogger, type Logger } from "./ports/logger.ts";
import type { Scheduler } from "./ports/scheduler/scheduler.ts";
import { extractorFromEnv, messagingFromEnv } from "./ports/from-env.ts";
import { pendingInbound, releaseAbandonedInbound } from "./services/inbox.ts";
import { processInbound } from "./services/process-intake.ts";
import { sweepOutbox } from "./services/deliver-outbox.ts";

/** Processes every pending inbound event, one at a time (each is retried on a later sweep if it fails). */
async function sweepInbox(deps: Deps): Promise<void> {
  for (const id of await pendingInbound(deps.db, deps.clock.now())) {
    await processInbound(deps, id).catch((err) => deps.logger.warn("inbound processing failed; will retry", { id, error: String(err) }));
  }
}

/** A running gateway on Node: its app, deps, and how to stop it cleanly. */
export interface NodeRuntime {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  db: DbHandle;
  demoLoaded: string | null;
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
    return { handle, unlock };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** Builds the deps from the environment and starts the background loops. */
export async function startNodeRuntime(env: Env, opts: { logger?: Logger } = {}): Promise<NodeRuntime> {
  const logger = opts.logger ?? consoleLogger();
  const { handle, unlock } = await openDatabase(env);
  const scheduler: Scheduler = { name: "none", async schedule() {}, async cancel() {} };
  const extractor = extractorFromEnv(env);
  const deps: Deps = {
    db: handle.db,
    messaging: messagingFromEnv(env, { logger }),
    extractor,
    scheduler,
    clock: systemClock,
    logger,
    settings: {
      publicUrl: env.PUBLIC_URL ?? null,
      adminToken: env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN,
      secrets: {
        vapi: env.VAPI_SECRET,
        retell: env.RETELL_API_KEY,
        bland: env.BLAND_WEBHOOK_SECRET,
        intake: env.INTAKE_SECRET,
        twilioAuthToken: env.TWILIO_AUTH_TOKEN,
      },
      qstash: { currentSigningKey: env.QSTASH_CURRENT_SIGNING_KEY, nextSigningKey: env.QSTASH_NEXT_SIGNING_KEY },
    },
    background: inProcessBackground(logger),
  };
  const demoLoaded = await loadDemoIfEmpty(deps.db, deps.clock.now());

  // Webhooks stored but not processed (a crash after the 2xx, a failed extraction) and messages
  // left queued are retried here; inbox and outbox claims keep each to one effect.
  const sweep = (outboxAge: number) => {
    deps.background.defer("sweep inbox", () => sweepInbox(deps));
    deps.background.defer("sweep outbox", async () => void (await sweepOutbox(deps, outboxAge)));
  };
  const sweeper = setInterval(() => sweep(5_000), 5_000);
  sweeper.unref();
  sweep(0);

  return {
    app: createApp(deps),
    deps,
    db: handle,
    demoLoaded,
    async stop() {
      clearInterval(sweeper);
      await deps.background.drain();
      await handle.close();
      await unlock();
    },
  };
}
