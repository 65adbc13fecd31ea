import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { schema, type Db, type DbHandle } from "./client.ts";

/**
 * PostgreSQL through postgres.js: used by Node with DATABASE_URL and by Workers (Hyperdrive).
 * The driver is mended at install (scripts/mend-postgres-driver.mjs) so a connection the server
 * ends rejects its queries instead of crashing the process; the pool then opens a new one.
 * Keep to pool queries and one-level transactions: under repeated terminations `sql.reserve()` and
 * nested transactions (savepoints) can still leave a query pending forever (upstream #1199).
 */
export function connectPostgres(url: string, options: { max?: number } = {}): DbHandle {
  const closedListeners: (() => void)[] = [];
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    prepare: true,
    onclose: () => closedListeners.forEach((listener) => listener()),
  });
  const db = drizzle(sql, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    close: () => sql.end({ timeout: 5 }),
    onConnectionClosed: (listener) => void closedListeners.push(listener),
    migrationLock: (work) => withAdvisoryLock(url, "handoff migrations", work),
  };
}

/**
 * Runs `work` holding a session-level advisory lock named `name`, taken on a connection of its
 * own (the pool's connections come and go; the lock belongs to one session). Ending that
 * session releases it, also when this process dies.
 */
async function withAdvisoryLock<T>(url: string, name: string, work: () => Promise<T>): Promise<T> {
  const session = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await session`select pg_advisory_lock(hashtext(${name}))`;
    return await work();
  } finally {
    await session.end({ timeout: 5 });
  }
}
