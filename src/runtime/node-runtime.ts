import { createApp } from "../app.ts";
import { nodeConsoleScript, nodeDocsScript } from "./docs-script.ts";
import type { DbHandle } from "../db/client.ts";
import { loadDemoIfEmpty } from "./demo.ts";
import type { Deps } from "../core/deps.ts";
import type { Env } from "./env.ts";
import { consoleLogger, type Logger } from "../adapters/logger.ts";
import { buildNodeDeps, openDatabase } from "./node-deps.ts";
import { startNodeLoops } from "./node-loops.ts";

export { openDatabase };

/** A running gateway on Node: its app, deps, and how to stop it cleanly. */
export interface NodeRuntime {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  db: DbHandle;
  demoLoaded: Awaited<ReturnType<typeof loadDemoIfEmpty>>;
  stop(): Promise<void>;
}

/** Why INTAKE_IN_WORKERS=1 needs PostgreSQL: workers and the server share one database. */
export const INTAKE_IN_WORKERS_NEEDS_POSTGRES =
  "INTAKE_IN_WORKERS=1 needs DATABASE_URL: stored webhooks are left to `handoff worker` processes, which share the server's PostgreSQL. " +
  "The embedded PGlite database can be opened by one process only; unset INTAKE_IN_WORKERS to process intake in this server.";

/** Refuses INTAKE_IN_WORKERS=1 on the embedded database, before anything is opened or created. */
export function assertIntakeSplitPossible(env: Env): void {
  if (env.INTAKE_IN_WORKERS && !env.DATABASE_URL) throw new Error(INTAKE_IN_WORKERS_NEEDS_POSTGRES);
}

/** Builds the deps from the environment and starts the background loops. */
export async function startNodeRuntime(env: Env, opts: { logger?: Logger } = {}): Promise<NodeRuntime> {
  const logger = opts.logger ?? consoleLogger();
  assertIntakeSplitPossible(env);
  const node = await buildNodeDeps(env, { logger, settings: { leaveIntakeToWorkers: env.INTAKE_IN_WORKERS } });
  const { deps, handle } = node;
  let loops;
  let demoLoaded;
  try {
    // Before the loops, so their first scheduling sees the demo business.
    demoLoaded = await loadDemoIfEmpty(deps.db, deps.clock.now());
    loops = startNodeLoops(env, node);
  } catch (err) {
    await node.close();
    throw err;
  }
  return {
    app: createApp(deps, { docsScript: nodeDocsScript(), consoleScript: nodeConsoleScript(), prometheus: { token: env.METRICS_TOKEN } }),
    deps,
    db: handle,
    demoLoaded,
    async stop() {
      await loops.stop();
      await node.close();
    },
  };
}
