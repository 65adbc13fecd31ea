import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgTransaction } from "drizzle-orm/pg-core";
import * as schema from "./schema/index.ts";

export { schema };

/** The database, whether PGlite (embedded) or postgres.js (PostgreSQL, Hyperdrive). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = PgTransaction<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;
/** Anything queries run on: the database or an open transaction. */
export type Executor = Db | Tx;

/** A database plus the way to release it. */
export interface DbHandle {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
  /**
   * Calls `listener` whenever a connection to the server closes (PostgreSQL only): the server may
   * have restarted or the database been recreated, so what was read before may be stale.
   */
  onConnectionClosed?(listener: () => void): void;
  /**
   * Runs `work` while holding the database-wide migration lock (PostgreSQL only), so processes
   * starting together on one database (a server and its workers) migrate one after another.
   */
  migrationLock?<T>(work: () => Promise<T>): Promise<T>;
}
