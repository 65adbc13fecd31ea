import type { Env } from "../runtime/env.ts";
import { BusinessNotFound } from "../domain/errors.ts";
import { connectPostgres } from "../db/postgres.ts";
import { openDatabase } from "../runtime/node-runtime.ts";
import { applyBusinessConfig, loadBusiness } from "../admin/businesses.ts";
import { getLead, listLeads, listMessages, resolveLeadRef } from "../admin/queries.ts";
import type { Backend } from "./backend.ts";

// Loaded only when no server answers: it pulls in the database drivers and the services.

/** The database of DATABASE_URL or DATA_DIR, opened (and locked, for PGlite) until `close`. */
export async function databaseBackend(env: Env): Promise<Backend> {
  const { handle, unlock } = await openDatabase(env);
  const { db } = handle;
  return {
    where: "the database",
    leads: (filter) => listLeads(db, filter),
    lead: async (ref) => getLead(db, await resolveLeadRef(db, ref)),
    messages: async (ref) => listMessages(db, { lead: await resolveLeadRef(db, ref), limit: 500 }),
    timezone: async (slug) => (await loadBusiness(db, slug)).config.timezone,
    apply: async (config) => {
      const r = await applyBusinessConfig(db, config, { appliedBy: "cli", now: new Date() });
      return { slug: r.business.slug, version: r.business.version, changed: r.changed };
    },
    async close() {
      await handle.close();
      await unlock();
    },
  };
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
