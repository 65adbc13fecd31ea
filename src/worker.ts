import { createApp } from "./app.ts";
import { consoleLogger } from "./adapters/logger.ts";
import { errorBody } from "./http/error-response.ts";
import { REQUEST_ID_HEADER, requestIdFrom } from "./http/request-id.ts";
import { runBackstop } from "./runtime/backstop.ts";
import { sweepInbox } from "./intake/inbox-sweep.ts";
import {
  buildWorkerDeps,
  hasQstash,
  parseWorkerEnv,
  type WorkerBindings,
  type WorkerContext,
  type WorkerScheduledController,
} from "./runtime/worker-deps.ts";

// The Workers entry: read the bindings, build deps, hand them to the app. Deps (and so the app)
// are built per request because workerd forbids carrying a socket from one request to the next;
// Hyperdrive keeps the pool, so a fresh postgres.js client per request is the intended use.
//
// No migrations run on Workers (the bundle has no drizzle/ folder to read): run `handoff migrate`
// against the same database, or start the Node server once (`npm start` migrates), before a deploy.

const logger = consoleLogger();
let warnedNoAdminToken = false;
let warnedNoQstash = false;

async function fetch(request: Request, bindings: WorkerBindings, ctx: WorkerContext): Promise<Response> {
  let env;
  let built;
  try {
    env = parseWorkerEnv(bindings);
    built = buildWorkerDeps(env, ctx, logger);
  } catch (err) {
    // No app to answer for us: the same body and X-Request-Id, by hand.
    const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    logger.error("worker misconfigured", { requestId, error: err instanceof Error ? err.message : String(err) });
    return Response.json(errorBody("misconfigured", "The gateway is misconfigured; see the Worker's logs.", requestId), {
      status: 500,
      headers: { [REQUEST_ID_HEADER]: requestId },
    });
  }
  if (!env.ADMIN_TOKEN && !warnedNoAdminToken) {
    warnedNoAdminToken = true;
    logger.warn("ADMIN_TOKEN is not set: every /api call gets 401. Set it with `wrangler secret put ADMIN_TOKEN`.");
  }
  if (!hasQstash(env) && !warnedNoQstash) {
    warnedNoQstash = true;
    logger.warn("QSTASH_TOKEN or PUBLIC_URL is not set: timers fire only from the Cron Trigger, up to five minutes late.");
  }

  const { deps, handle } = built;
  try {
    return await createApp(deps).fetch(request);
  } finally {
    // Sends and timer scheduling deferred by the request still need the connection.
    ctx.waitUntil(
      deps.background
        .drain()
        .finally(() => handle.close())
        .catch((err) => logger.error("closing the database failed", { error: String(err) })),
    );
  }
}

/** Beside QStash, the cron fires only what QStash has not delivered a minute after it was due. */
const QSTASH_BACKSTOP_GRACE_MS = 60_000;

/**
 * The Cron Trigger (wrangler.toml `[triggers]`): the backstop under QStash. Fires timers that
 * no delivery fired, makes sure each business has its next end-of-day review, deletes at QStash
 * the deliveries of canceled timers, retries the outbox (rows left queued, customer texts whose
 * quiet hours ended, sends whose sender died mid-way: their lease expired) and finishes stored
 * webhooks left unprocessed. Without QStash it is
 * the only thing that fires timers, so it takes everything due.
 */
async function scheduled(controller: WorkerScheduledController, bindings: WorkerBindings, ctx: WorkerContext): Promise<void> {
  const env = parseWorkerEnv(bindings);
  const { deps, handle } = buildWorkerDeps(env, ctx, logger);
  try {
    const done = await runBackstop(deps, { graceMs: hasQstash(env) ? QSTASH_BACKSTOP_GRACE_MS : 0, outbox: true });
    // Webhooks acknowledged but not finished (waitUntil cut short, a failed extraction).
    const inbox = await sweepInbox(deps);
    logger.info("cron backstop ran", { cron: controller.cron, ...done, inbox });
  } finally {
    // Sends and scheduling the firings deferred still need the connection.
    await deps.background.drain().catch(() => {});
    await handle.close().catch((err) => logger.error("closing the database failed", { error: String(err) }));
  }
}

export default { fetch, scheduled };
