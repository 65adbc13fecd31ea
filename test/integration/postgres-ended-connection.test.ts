import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../src/db/unavailable.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";
import { backendKiller, databaseName, sleep } from "../helpers/pg-fault.ts";

/**
 * postgres.js as the gateway uses it (connectPostgres), with the server ending its connections:
 * every query fails with an outage error or succeeds, nothing escapes as an uncaught exception
 * or unhandled rejection (either ends Node), and the pool serves again afterwards.
 */
describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL ends the pool's connections", () => {
  let db: TestDatabase;
  let killer: ReturnType<typeof backendKiller>;
  const escaped: unknown[] = [];
  const collect = (err: unknown) => void escaped.push(err);
  beforeAll(async () => {
    db = await createTestDatabase({ max: 10 });
    killer = backendKiller(databaseName(db.url));
    process.on("uncaughtException", collect);
    process.on("unhandledRejection", collect);
  });
  afterAll(async () => {
    process.off("uncaughtException", collect);
    process.off("unhandledRejection", collect);
    await killer?.close();
    await db?.drop();
  });

  it("a transaction whose backend is ended mid-query rejects as an outage, and the next one commits", async () => {
    let pid = 0;
    const tx = db.handle.db.transaction(async (t) => {
      pid = ((await t.execute(sql`select pg_backend_pid() as pid`)) as unknown as { pid: number }[])[0]!.pid;
      await t.execute(sql`select pg_sleep(5)`);
    });
    const outcome = tx.then(() => null, (err: unknown) => err);
    while (!pid) await sleep(10);
    await killer.terminateAll();
    const err = await outcome;
    expect(err).not.toBeNull();
    expect(isDatabaseUnavailable(err)).toBe(true);
    await sleep(50); // the driver's deferred writes (setImmediate) have run
    expect(await db.handle.db.transaction(async (t) => t.execute(sql`select 1 as one`))).toEqual([{ one: 1 }]);
    expect(escaped).toEqual([]);
  });

  it("under a burst of transactions ended again and again, every one settles and the pool recovers", async () => {
    const failures: unknown[] = [];
    let committed = 0;
    const worker = async () => {
      for (let i = 0; i < 20; i++) {
        await db.handle.db
          .transaction(async (t) => {
            await t.execute(sql`select 1`);
            await t.execute(sql`select pg_sleep(0.01)`);
            await t.execute(sql`select 2`);
          })
          .then(() => committed++, (err: unknown) => failures.push(err));
      }
    };
    const burst = Promise.all(Array.from({ length: 15 }, worker));
    // Alone this takes about a second; in a full run on a loaded machine it has taken over 30 s.
    // Progress every 10 s tells a slow run (the count grows) from a hang (it stops).
    const started = Date.now();
    const progress = setInterval(() => {
      console.warn(`burst after ${Date.now() - started} ms: ${committed} committed, ${failures.length} failed, of 300`);
    }, 10_000);
    let terminated = 0;
    try {
      for (let k = 0; k < 10; k++) {
        await sleep(30);
        terminated += await killer.terminateAll();
      }
      await burst;
    } finally {
      clearInterval(progress);
    }
    expect(terminated).toBeGreaterThan(0);
    expect(committed + failures.length).toBe(300);
    expect(failures.filter((err) => !isDatabaseUnavailable(err))).toEqual([]);
    await sleep(50);
    expect(await db.handle.db.transaction(async (t) => t.execute(sql`select 1 as one`))).toEqual([{ one: 1 }]);
    expect(escaped).toEqual([]);
  }, 90_000);

  it("a query that is wrong is not an outage", async () => {
    const err = await db.handle.db.execute(sql`select * from no_such_table`).then(() => null, (e: unknown) => e);
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
