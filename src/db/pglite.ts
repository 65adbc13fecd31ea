import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { schema, type Db, type DbHandle } from "./client.ts";

/** The embedded default: PGlite in `dataDir`, or in memory when none is given (tests). */
export async function openPglite(dataDir?: string): Promise<DbHandle> {
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", close: () => client.close() };
}
