import { createApp } from "./app.ts";
import { consoleLogger } from "./ports/logger.ts";
import { buildWorkerDeps, parseWorkerEnv, type WorkerBindings, type WorkerContext } from "./worker-deps.ts";

// The Workers entry: read the bindings, build deps, hand them to the app. Deps (and so the app)
// are built per request because workerd forbids carrying a socket from one request to the next;
// Hyperdrive keeps the pool, so a fresh postgres.js client per request is the intended use.
//
// No migrations run on Workers (the bundle has no drizzle/ folder to read): run `handoff migrate`
// against the same database, or start the Node server once (`npm start` migrates), before a deploy.

const logger = consoleLogger();
let warnedNoAdminToken = false;

async function fetch(request: Request, bindings: WorkerBindings, ctx: WorkerContext): Promise<Response> {
  let env;
  let built;
  try {
    env = parseWorkerEnv(bindings);
    built = buildWorkerDeps(env, ctx, logger);
  } catch (err) {
    logger.error("worker misconfigured", { error: err instanceof Error ? err.message : String(err) });
    return Response.json({ error: { code: "misconfigured", message: "The gateway is misconfigured; see the Worker's logs." } }, { status: 500 });
  }
  if (!env.ADMIN_TOKEN && !warnedNoAdminToken) {
    warnedNoAdminToken = true;
    logger.warn("ADMIN_TOKEN is not set: every /api call gets 401. Set it with `wrangler secret put ADMIN_TOKEN`.");
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

export default { fetch };
