import type { Deps } from "../core/deps.ts";
import { qstashTimerScheduler } from "../core/qstash-timers.ts";
import type { Db } from "../db/client.ts";
import { systemClock } from "../adapters/clock/clock.ts";
import type { Logger } from "../adapters/logger.ts";
import { qstashScheduler } from "../adapters/scheduler/qstash.ts";
import { extractorFromEnv, messagingFromEnv } from "./adapters-from-env.ts";
import { inProcessBackground } from "./background.ts";
import { composeDeps } from "./compose.ts";
import { DEV_ADMIN_TOKEN, settingsFromEnv, type Env } from "./env.ts";

/**
 * Deps for a command that works on the database while no gateway of this process runs
 * (`handoff apply` when no server answers). What it plans is stored as timer rows: beside
 * QStash they are published as the gateway would publish them; otherwise a gateway's timer loop
 * reads them from the table (within its longest sleep), and one that starts later fires what is due.
 * Drain `background` before closing the database: the publishes run there after each commit.
 */
export function commandDeps(env: Env, db: Db, logger: Logger): Deps {
  const deps = composeDeps({
    db,
    messaging: messagingFromEnv(env, { logger }),
    extractor: extractorFromEnv(env),
    scheduler: { name: "database", async schedule() {}, async cancel() {} },
    clock: systemClock,
    logger,
    settings: settingsFromEnv(env, env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN),
    background: inProcessBackground(logger),
  });
  if (env.QSTASH_TOKEN && env.PUBLIC_URL) {
    deps.scheduler = qstashTimerScheduler(db, qstashScheduler({ token: env.QSTASH_TOKEN, baseUrl: env.QSTASH_URL, publicUrl: env.PUBLIC_URL }));
  }
  return deps;
}
