/**
 * `npx tsx bench/pg-begin-hang.ts`: reproduces an open postgres.js 3.4.9 defect (under the mend of
 * scripts/mend-postgres-driver.mjs). 15 workers each run 20 transactions of three statements
 * through `sql.begin` (no drizzle, no gateway code) while every backend of the database is ended
 * ten times, 30 ms apart. Every transaction should commit or fail within seconds. Now and then one
 * never settles: its first statement after BEGIN was handed to its reserved connection, and
 * neither that statement nor the transaction's close handler is ever heard of again.
 * test/integration/postgres-ended-connection.test.ts ("under a burst …") fails when it happens.
 *
 * It prints per round: ok or hung, committed, failed, and which worker hangs at which statement.
 * Seen on 2 cores: 3 of 6 rounds hung. BENCH_DATABASE_URL names the server (a database of its own
 * is created and dropped); BENCH_ROUNDS the rounds (default 6).
 */
import postgres from "postgres";
import { ADMIN_URL, intFromEnv } from "./intake.ts";

const ROUNDS = intFromEnv("BENCH_ROUNDS", 6, 1, 100);
const HUNG_AFTER_MS = 15_000;

async function round(n: number): Promise<void> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `handoff_t_hang_${process.pid}_${n}`;
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 10, onnotice: () => {}, prepare: true });
  const stage = new Map<number, string>();
  let committed = 0;
  let failed = 0;
  const worker = async (w: number) => {
    for (let i = 0; i < 20; i++) {
      stage.set(w, `transaction ${i}: begin`);
      await sql
        .begin(async (t) => {
          stage.set(w, `transaction ${i}: statement 1`);
          await t`select 1`;
          stage.set(w, `transaction ${i}: statement 2`);
          await t`select pg_sleep(0.01)`;
          stage.set(w, `transaction ${i}: statement 3`);
          await t`select 2`;
          stage.set(w, `transaction ${i}: commit`);
        })
        .then(() => committed++, () => failed++);
    }
    stage.delete(w);
  };
  const burst = Promise.all(Array.from({ length: 15 }, (_, w) => worker(w)));
  for (let k = 0; k < 10; k++) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name} AND pid <> pg_backend_pid()`;
  }
  const outcome = await Promise.race([burst.then(() => "ok"), new Promise((resolve) => setTimeout(() => resolve("hung"), HUNG_AFTER_MS))]);
  const stuck = [...stage].map(([w, s]) => `worker ${w} at ${s}`).join("; ");
  console.log(`round ${n}: ${outcome}, ${committed} committed, ${failed} failed of 300${stuck ? `; ${stuck}` : ""}`);
  // A hung pool never ends by itself: end it without waiting, then drop the database.
  void sql.end({ timeout: 0 }).catch(() => {});
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end({ timeout: 2 });
}

for (let n = 1; n <= ROUNDS; n++) await round(n);
process.exit(0);
