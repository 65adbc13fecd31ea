/**
 * `handoff worker`: a Node process that does the work after the 2xx beside the server, on the
 * same PostgreSQL (docs/workers.md). Not Cloudflare Workers: that entry is src/worker.ts with
 * worker-deps.ts. It builds the deps the server builds (node-deps.ts), runs the loops the server
 * runs (node-loops.ts: timers, schedulers, inbox/outbox/events sweeps) and the intake claim loop,
 * and serves no HTTP.
 */
import { getPriority, setPriority } from "node:os";
import type { Deps } from "../core/deps.ts";
import { consoleLogger, type Logger } from "../adapters/logger.ts";
import { startIntakeClaimLoop } from "../intake/intake-claim-loop.ts";
import { AI_PROVIDERS } from "../intake/process-intake.ts";
import type { Env } from "./env.ts";
import { buildNodeDeps } from "./node-deps.ts";
import { startNodeLoops } from "./node-loops.ts";

/** Connections beyond the claim loop's own: background sends (4), timer loop, sweeps, claims. */
const POOL_HEADROOM = 6;

/** The niceness a worker runs at (0 is normal, 19 the lowest): below the server's and PostgreSQL's. */
export const WORKER_NICENESS = 10;

/** Why a worker refuses the embedded database. */
export const WORKER_NEEDS_POSTGRES =
  "handoff worker needs DATABASE_URL (the server's PostgreSQL): the embedded PGlite database's data directory is locked by the server, " +
  "and only one process can open it. Run the server and its workers on PostgreSQL.";

/** A running worker and how to stop it. */
export interface WorkerRuntime {
  deps: Deps;
  /** Stops claiming, finishes the rows in flight, stops the loops and closes the database. */
  stop(): Promise<{ finished: number }>;
}

/** Starts a worker from the environment; logs one line saying what it runs. */
export async function startWorkerRuntime(env: Env, opts: { logger?: Logger } = {}): Promise<WorkerRuntime> {
  const logger = opts.logger ?? consoleLogger();
  if (!env.DATABASE_URL) throw new Error(WORKER_NEEDS_POSTGRES);
  // Beside the server on one machine, the server's ingress comes first: a worker that takes
  // the CPU from it makes every webhook's 2xx wait (issue 16: 2xx p99 1.5 s at 200 leads/s with
  // two workers at normal priority, on 2 cores). Work waits in the database either way.
  // Only ever lowered (raising it back needs privileges): a worker started niced stays so.
  setPriority(Math.max(getPriority(), WORKER_NICENESS));
  const concurrency = env.WORKER_CONCURRENCY;
  // This process is where intake happens, whatever INTAKE_IN_WORKERS says (workers share the server's env).
  const node = await buildNodeDeps(env, { logger, poolMax: concurrency + POOL_HEADROOM, settings: { leaveIntakeToWorkers: false } });
  let loops;
  try {
    loops = startNodeLoops(env, node, { intakeClaimLoop: true });
  } catch (err) {
    await node.close();
    throw err;
  }
  const intake = startIntakeClaimLoop(node.deps, { concurrency });
  const { deps } = node;
  logger.info(
    `handoff worker started: intake of ${AI_PROVIDERS.join(", ")} webhooks, ${concurrency} at a time; ` +
      `timers (${deps.scheduler.name === "local" ? "built-in loop" : deps.scheduler.name}), inbox/outbox/events sweeps; ` +
      `messaging ${deps.messaging.name}, extraction ${deps.extractor.name}, inbox lease ${deps.settings.inboxLeaseMs ?? 60_000} ms, niceness ${WORKER_NICENESS}`,
  );
  return {
    deps,
    async stop() {
      // Together: no claim and no sweep starts after the signal while the rows in flight finish.
      await Promise.all([intake.stop(), loops.stop()]);
      await node.close();
      return { finished: intake.finished() };
    },
  };
}
