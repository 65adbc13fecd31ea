import type { Db, DbHandle } from "../db/client.ts";
import { connectPostgres } from "../db/postgres.ts";
import { composeDeps } from "./compose.ts";
import type { Background, Deps } from "../core/deps.ts";
import { parseEnv, settingsFromEnv, type Env } from "./env.ts";
import { systemClock } from "../adapters/clock/clock.ts";
import type { Extractor } from "../adapters/extractor/extractor.ts";
import { consoleLogger, type Logger } from "../adapters/logger.ts";
import { extractorFromEnv, messagingFromEnv } from "./adapters-from-env.ts";
import type { Messaging } from "../adapters/messaging/messaging.ts";
import { qstashScheduler } from "../adapters/scheduler/qstash.ts";
import { qstashTimerScheduler } from "../core/qstash-timers.ts";
import type { Scheduler } from "../adapters/scheduler/scheduler.ts";

// The few Workers runtime shapes this file touches, declared structurally: tsconfig loads Node's
// types for the whole project, and pulling @cloudflare/workers-types' globals in beside them
// would make `Response`, `fetch` and friends ambiguous everywhere else.

/** The part of the Workers `ExecutionContext` the gateway uses. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** A Hyperdrive binding: a pooled, per-request connection string to the origin PostgreSQL. */
export interface HyperdriveBinding {
  connectionString: string;
}

/** What the Worker is bound to: string vars and secrets (CONTRACT §1), and optionally Hyperdrive. */
export type WorkerBindings = Record<string, unknown> & { HYPERDRIVE?: HyperdriveBinding };

/** The env schema of src/runtime/env.ts read from bindings; Hyperdrive, when bound, wins over DATABASE_URL. */
export function parseWorkerEnv(bindings: WorkerBindings): Env {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(bindings)) if (typeof value === "string") strings[name] = value;
  const hyperdriveUrl = bindings.HYPERDRIVE?.connectionString;
  if (hyperdriveUrl) strings.DATABASE_URL = hyperdriveUrl;
  return parseEnv(strings);
}

/**
 * Background work on Workers: each task is handed to `ctx.waitUntil`, so the isolate stays up
 * until it settles even though the response has gone. `drain` lets the entry close the
 * request's database connection only after everything deferred (and anything it deferred).
 */
export function waitUntilBackground(ctx: WorkerContext, logger: Logger): Background {
  const running = new Set<Promise<void>>();
  return {
    defer(name, task) {
      const p: Promise<void> = Promise.resolve()
        .then(task)
        .catch((err) => logger.error(`background task failed: ${name}`, { error: String(err) }))
        .finally(() => running.delete(p));
      running.add(p);
      ctx.waitUntil(p);
    },
    async drain() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}

/**
 * The outbound SMS/voice adapter on Workers: Twilio when credentials are set (its requests go
 * over fetch, which workerd provides natively), dry-run otherwise.
 */
export function workerMessaging(env: Env): Messaging {
  return messagingFromEnv(env, { useFetch: true });
}

/** The part of the Workers `ScheduledController` (a Cron Trigger firing) the gateway uses. */
export interface WorkerScheduledController {
  scheduledTime: number;
  cron: string;
}

/** Whether timers reach this Worker through QStash: it needs the token and a URL to call back. */
export function hasQstash(env: Env): env is Env & { QSTASH_TOKEN: string; PUBLIC_URL: string } {
  return Boolean(env.QSTASH_TOKEN && env.PUBLIC_URL);
}

/**
 * Timer delivery on Workers: QStash (a Worker has no loop), each message id kept in
 * `timers.external_id`. Without QSTASH_TOKEN and PUBLIC_URL, only the Cron Trigger's backstop
 * fires timers, up to one cron interval late.
 */
export function workerScheduler(env: Env, db: Db): Scheduler {
  if (!hasQstash(env)) return { name: "cron-only", async schedule() {}, async cancel() {} };
  return qstashTimerScheduler(db, qstashScheduler({ token: env.QSTASH_TOKEN, baseUrl: env.QSTASH_URL, publicUrl: env.PUBLIC_URL }));
}

/** Transcript extraction on Workers: OpenAI when a key is set, the heuristic otherwise. */
export function workerExtractor(env: Env): Extractor {
  return extractorFromEnv(env);
}

/**
 * An admin token nobody can guess, for when ADMIN_TOKEN is unset: Workers are public by default,
 * so unlike Node there is no development token, and every /api call gets 401 until one is set.
 */
export function unguessableToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Deps plus the database handle they hold, so the entry can close it after the request. */
export interface WorkerRequestDeps {
  deps: Deps;
  handle: DbHandle;
}

/**
 * Builds the deps for one request. Workers forbid reusing a socket across requests, so each
 * request opens its own single-connection postgres.js client (Hyperdrive pools behind it).
 * No migrations run here: `handoff migrate` (or `npm start` on Node) brings the database's
 * schema up to date before a deploy.
 */
export function buildWorkerDeps(env: Env, ctx: WorkerContext, logger: Logger = consoleLogger()): WorkerRequestDeps {
  if (!env.DATABASE_URL) {
    throw new Error("No database: bind Hyperdrive as HYPERDRIVE, or set DATABASE_URL (wrangler secret put DATABASE_URL).");
  }
  const handle = connectPostgres(env.DATABASE_URL, { max: 1 });
  const deps = composeDeps({
    db: handle.db,
    messaging: workerMessaging(env),
    extractor: workerExtractor(env),
    scheduler: workerScheduler(env, handle.db),
    clock: systemClock,
    logger,
    settings: settingsFromEnv(env, env.ADMIN_TOKEN ?? unguessableToken(), { useFetch: true }),
    background: waitUntilBackground(ctx, logger),
  });
  return { deps, handle };
}
