import postgres from "postgres";
import type { DbHandle } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import { connectPostgres } from "../../src/db/postgres.ts";

/**
 * A throwaway PostgreSQL database per suite, so suites can run in parallel and never see each
 * other's rows. Needs TEST_DATABASE_URL (any database on the server; it is only used to issue
 * CREATE/DROP DATABASE). Suites skip themselves when it is unset:
 *   describe.skipIf(!TEST_DATABASE_URL)(…)
 */

/** The server suites create their databases on; undefined means "skip PostgreSQL suites". */
export const TEST_DATABASE_URL: string | undefined = process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase {
  /** Connection URL of the new database, for more pools or child processes. */
  url: string;
  /** A migrated postgres.js handle on it. */
  handle: DbHandle;
  /** Closes `handle` and drops the database (ending any connection still open to it). */
  drop(): Promise<void>;
}

function adminConnection() {
  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
  return postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
}

/**
 * Creates `handoff_t_<random>`, migrates it with the project's migrations (unless `migrate` is
 * false: an empty database, as a first deploy finds it), and connects to it.
 */
export async function createTestDatabase(options: { max?: number; migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `handoff_t_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = adminConnection();
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }

  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), { max: options.max ?? 5 });
  try {
    if (options.migrate !== false) await migrate(handle);
  } catch (error) {
    await handle.close();
    await dropDatabase(name);
    throw error;
  }

  let dropped = false;
  return {
    url: url.toString(),
    handle,
    async drop() {
      if (dropped) return;
      dropped = true;
      await handle.close();
      await dropDatabase(name);
    },
  };
}

async function dropDatabase(name: string): Promise<void> {
  const admin = adminConnection();
  try {
    // FORCE (PostgreSQL 13+) ends pools a test forgot to close instead of failing the drop.
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
