import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimReceivedInbound, pendingInbound, recordInbound } from "../../src/core/inbox.ts";
import { inboundEvents } from "../../src/db/schema/index.ts";
import type { Db } from "../../src/db/client.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";

const AI = ["vapi", "retell", "bland", "intake"];

describe.skipIf(!TEST_DATABASE_URL)("claiming a batch of stored intake webhooks (PostgreSQL)", () => {
  let database: TestDatabase;
  let db: Db;
  const t0 = new Date("2026-03-02T15:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  let n = 0;
  const store = async (provider: string, receivedAt: Date) =>
    (await recordInbound(db, { businessId: null, provider, idempotencyKey: `batch-${n++}`, rawBody: "{}", headers: new Headers(), now: receivedAt }))!;
  const rowOf = async (id: string) => (await db.select().from(inboundEvents).where(eq(inboundEvents.id, id)))[0]!;

  beforeAll(async () => {
    database = await createTestDatabase({ max: 3 });
    db = database.handle.db;
  });
  afterAll(async () => database?.drop());

  it("takes the oldest never-tried AI-intake rows up to the limit, with claimInbound's effects, oldest first", async () => {
    const third = await store("intake", at(3));
    const first = await store("vapi", at(1));
    const twilio = await store("twilio", at(0));
    const second = await store("retell", at(2));
    const fourth = await store("bland", at(4));
    // Tried before and put back to wait (a Retell call_ended waiting for its analysis): the sweep's.
    const waiting = await store("retell", at(0));
    await db.update(inboundEvents).set({ attempts: 1 }).where(eq(inboundEvents.id, waiting));

    const now = at(60);
    const claimed = await claimReceivedInbound(db, AI, 3, now);
    expect(claimed.map((r) => r.id)).toEqual([first, second, third]);
    for (const row of claimed) expect(row).toMatchObject({ status: "processing", attempts: 1, processedAt: now });

    expect((await claimReceivedInbound(db, AI, 3, now)).map((r) => r.id)).toEqual([fourth]);
    expect(await claimReceivedInbound(db, AI, 3, now)).toEqual([]);
    expect(await rowOf(twilio)).toMatchObject({ status: "received", attempts: 0 });
    expect(await rowOf(waiting)).toMatchObject({ status: "received", attempts: 1 });
  });

  it("skips a row another session holds instead of waiting for it", async () => {
    const held = await store("intake", at(10));
    const free = await store("intake", at(11));
    const other = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = other.begin(async (tx) => {
        await tx`select id from inbound_events where id = ${held} for update`;
        locked();
        await released;
      });
      await isLocked;
      const claimed = await claimReceivedInbound(db, AI, 5, at(60));
      expect(claimed.map((r) => r.id)).toEqual([free]);
      release();
      await holder;
      expect((await claimReceivedInbound(db, AI, 5, at(61))).map((r) => r.id)).toEqual([held]);
    } finally {
      await other.end({ timeout: 5 });
    }
  });

  it("the sweep beside a claim loop leaves never-tried intake rows out, so retries behind a backlog still come up", async () => {
    const backlog = await Promise.all(Array.from({ length: 5 }, (_, i) => store("intake", at(20 + i))));
    const retry = await store("intake", at(30));
    await db.update(inboundEvents).set({ status: "failed", attempts: 1, processedAt: at(30) }).where(eq(inboundEvents.id, retry));
    const later = at(3_600);
    const all = (await pendingInbound(db, later, AI)).map((r) => r.id);
    expect(all).toEqual(expect.arrayContaining([...backlog, retry]));
    const beside = (await pendingInbound(db, later, AI, 60_000, AI)).map((r) => r.id);
    expect(beside).toContain(retry);
    for (const id of backlog) expect(beside).not.toContain(id);
  });
});
