import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { connectPostgres } from "../../src/db/postgres.ts";
import { applyBusinessConfig } from "../../src/admin/businesses.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";
import { databaseName, distinctIntake, postIntake, sleep } from "../helpers/pg-fault.ts";

/**
 * The database is dropped under the running gateway and comes back empty but migrated (another
 * process recreated it, as a restore or a failover to a fresh replica would). The same process
 * says it is down meanwhile, then serves the new database: nothing it read from the old one
 * (a cached business, prepared statements) keeps it answering for rows that no longer exist.
 */
describe.skipIf(!TEST_DATABASE_URL)("the database is dropped and recreated under the gateway", () => {
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let base: string;
  const admin = TEST_DATABASE_URL ? postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} }) : null;
  const health = async () => {
    const res = await fetch(`${base}/healthz`);
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    db = await createTestDatabase({ max: 1 });
    await db.handle.close();
    gateway = startGateway({ DATABASE_URL: db.url, ADMIN_TOKEN: "recreate-test-token" });
    base = await gateway.ready;
  });
  afterAll(async () => {
    if (gateway?.child.exitCode === null) gateway.child.kill("SIGKILL");
    await admin?.end({ timeout: 5 });
    await db?.drop();
  });

  it("says down while it is gone, refuses what the new one does not know, and serves it without a restart", async () => {
    const name = databaseName(db.url);
    expect((await postIntake(base, distinctIntake(1).body)).status).toBe(200); // the business is read (and cached)

    await admin!.unsafe(`DROP DATABASE "${name}" WITH (FORCE)`);
    expect(await health()).toEqual({ status: 503, body: { ok: false, db: "down" } });
    const during = await postIntake(base, distinctIntake(2).body);
    expect(during.status).toBe(503);

    // Recreated empty and migrated by another process: no business yet.
    await admin!.unsafe(`CREATE DATABASE "${name}"`);
    const other = connectPostgres(db.url, { max: 1 });
    try {
      await migrate(other);
      let status = await health();
      for (let i = 0; i < 50 && status.status !== 200; i++) await sleep(100), (status = await health());
      expect(status).toEqual({ status: 200, body: { ok: true, db: "up" } });
      const unknown = await postIntake(base, distinctIntake(3).body);
      expect(unknown.status).toBe(404); // not a 200 for a business only the old database had

      await applyBusinessConfig(other.db, demoInput(), { appliedBy: "test", now: new Date() });
      const acknowledged = [distinctIntake(4), distinctIntake(5)];
      for (const intake of acknowledged) expect((await postIntake(base, intake.body)).status).toBe(200);
      let phones: string[] = [];
      for (let i = 0; i < 100 && phones.length < acknowledged.length; i++) {
        await sleep(100);
        phones = ((await other.db.execute(sql`select phone from leads`)) as unknown as { phone: string }[]).map((r) => r.phone);
      }
      expect(phones.sort()).toEqual(acknowledged.map((a) => a.phone).sort());
      expect(gateway.child.exitCode).toBeNull();
    } finally {
      await other.close();
    }
  }, 60_000);
});
