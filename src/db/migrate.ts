import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { DbHandle } from "./client.ts";

/** drizzle/ beside src/: the migrations drizzle-kit generated. Node only (reads the folder). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** Brings the schema up to date; safe to run on every start and from `handoff migrate`. */
export async function migrate(handle: DbHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (handle.kind === "pglite") await migratePglite(handle.db as never, config);
  else await migratePostgres(handle.db as never, config);
}
