import { readFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, MIGRATIONS_FOLDER } from "../../src/db/migrate.ts";
import { connectPostgres } from "../../src/db/postgres.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";

describe.skipIf(!TEST_DATABASE_URL)("migrating from several processes at once (a server and its workers starting together)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ max: 1, migrate: false });
  });
  afterAll(async () => database?.drop());

  it("three migrations at once on an empty database all succeed, and each migration is applied once", async () => {
    const handles = [1, 2, 3].map(() => connectPostgres(database.url, { max: 2 }));
    try {
      const results = await Promise.allSettled(handles.map((h) => migrate(h)));
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason).slice(0, 200) : r.status))).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(row!.n).toBe(journal.entries.length);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
