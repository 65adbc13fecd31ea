import type { Env } from "../runtime/env.ts";
import { BusinessNotFound } from "../domain/errors.ts";
import { connectPostgres } from "../db/postgres.ts";
import { openDatabase } from "../runtime/node-runtime.ts";
import { applyBusinessConfig, loadBusiness } from "../admin/businesses.ts";
import { APPLY_FOLLOW_UPS } from "../http/apply-follow-ups.ts";
import { commandDeps } from "../runtime/command-deps.ts";
import type { Logger } from "../adapters/logger.ts";
import { getLead, listLeads, listMessages, resolveLeadRef } from "../admin/queries.ts";
import type { Backend } from "./backend.ts";

// Loaded only when no server answers: it pulls in the database drivers and the services.

/** The database of DATABASE_URL or DATA_DIR, opened (and locked, for PGlite) until `close`. */
export async function databaseBackend(env: Env): Promise<Backend> {
  const { handle, unlock } = await openDatabase(env);
  const { db } = handle;
  const deps = commandDeps(env, db, stderrLogger);
  return {
    where: "the database",
    leads: (filter) => listLeads(db, filter),
    lead: async (ref) => getLead(db, await resolveLeadRef(db, ref)),
    messages: async (ref) => listMessages(db, { lead: await resolveLeadRef(db, ref), limit: 500 }),
    timezone: async (slug) => (await loadBusiness(db, slug)).config.timezone,
    apply: async (config) => {
      const r = await applyBusinessConfig(db, config, { appliedBy: "cli", now: deps.clock.now() });
      // Planned at once, as after PUT /api/businesses/{slug}: not left to the gateway's next check.
      if (r.changed) await runFollowUps(deps, r.business.id);
      return { slug: r.business.slug, version: r.business.version, changed: r.changed };
    },
    async close() {
      await deps.background.drain();
      await handle.close();
      await unlock();
    },
  };
}

/** The command's output is its own: only what went wrong is written, to stderr. */
const stderrLogger: Logger = {
  info() {},
  warn: (message, fields) => console.error(`warning: ${message}${fields ? ` ${JSON.stringify(fields)}` : ""}`),
  error: (message, fields) => console.error(`error: ${message}${fields ? ` ${JSON.stringify(fields)}` : ""}`),
};

/** The apply follow-ups, each on its own: the config is applied either way, and the gateway plans again at its next check. */
async function runFollowUps(deps: ReturnType<typeof commandDeps>, businessId: string): Promise<void> {
  for (const followUp of APPLY_FOLLOW_UPS) {
    try {
      await followUp.run(deps, businessId);
    } catch (err) {
      deps.logger.warn(`${followUp.name} after the apply failed; the gateway does it at its next check`, { error: String(err) });
    }
  }
}

/**
 * A business's own webhook secrets from PostgreSQL, for `simulate` (the API masks them); `{}` for
 * a business the database does not have. PostgreSQL only: an embedded database that a server
 * serves is locked by it, and one no server serves answers no webhook.
 */
export async function businessSecrets(databaseUrl: string, slug: string): Promise<Record<string, string | undefined>> {
  const handle = connectPostgres(databaseUrl);
  try {
    const business = await loadBusiness(handle.db, slug).catch((err) => {
      if (err instanceof BusinessNotFound) return null;
      throw err;
    });
    return { ...business?.config.secrets };
  } finally {
    await handle.close();
  }
}
