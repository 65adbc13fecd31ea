import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { DbHandle } from "./client.ts";

/**
 * The package's drizzle/ folder: the migrations drizzle-kit generated. Node only (reads the folder).
 * Looked up from this module's folder, because that is src/db/ when run from source but dist/ when
 * built (scripts/build.mjs bundles this module into a chunk there).
 */
export const MIGRATIONS_FOLDER = findMigrationsFolder(dirname(fileURLToPath(import.meta.url)));

function findMigrationsFolder(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "drizzle", "meta", "_journal.json"))) return join(dir, "drizzle");
    if (dirname(dir) === dir) throw new Error(`No drizzle/meta/_journal.json in ${from} or a folder above it.`);
  }
}

/**
 * Brings the schema up to date; safe to run on every start and from `handoff migrate`, also from
 * several processes starting at once on one PostgreSQL (drizzle's migrator takes no lock of its
 * own: two at once on a new database fail creating its table), which take turns.
 */
export async function migrate(handle: DbHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (handle.kind === "pglite") await migratePglite(handle.db as never, config);
  else {
    const run = () => migratePostgres(handle.db as never, config);
    await (handle.migrationLock ? handle.migrationLock(run) : run());
  }
}
