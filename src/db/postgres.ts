import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { schema, type Db, type DbHandle } from "./client.ts";

/** PostgreSQL through postgres.js: used by Node with DATABASE_URL and by Workers (Hyperdrive). */
export function connectPostgres(url: string, options: { max?: number } = {}): DbHandle {
  const sql = postgres(url, { max: options.max ?? 10, onnotice: () => {}, prepare: true });
  const db = drizzle(sql, { schema }) as unknown as Db;
  return { db, kind: "postgres", close: () => sql.end({ timeout: 5 }) };
}
