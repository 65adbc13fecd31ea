import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundMessages } from "../../src/db/schema/outbound-messages.ts";
import { timers } from "../../src/db/schema/timers.ts";
import { applyBusinessConfig } from "../../src/admin/businesses.ts";
import worker from "../../src/worker.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { completeLead } from "../helpers/test-app.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";

// The Workers entry's Cron Trigger handler, called in Node the way workerd calls it, against a
// real PostgreSQL (a Worker has no embedded database, so this needs TEST_DATABASE_URL). Without
// QStash the cron is what fires timers; it also keeps reviews scheduled and retries the outbox.
const ADMIN_TOKEN = `cron-test-${crypto.randomUUID()}`;

describe.skipIf(!TEST_DATABASE_URL)("the Workers Cron Trigger", () => {
  let database: TestDatabase;
  let bindings: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase();
    await applyBusinessConfig(database.handle.db, demoInput(), { appliedBy: "test", now: new Date() });
    bindings = { DATABASE_URL: database.url, ADMIN_TOKEN };
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** Runs a handler with a ctx whose waitUntil promises are awaited before returning. */
  async function withCtx<T>(run: (ctx: { waitUntil(p: Promise<unknown>): void }) => Promise<T>): Promise<T> {
    const pending: Promise<unknown>[] = [];
    const result = await run({ waitUntil: (p) => void pending.push(p) });
    await Promise.allSettled(pending);
    return result;
  }
  const api = (path: string, init: RequestInit = {}) =>
    withCtx(async (ctx) => {
      const res = await worker.fetch(
        new Request(`http://gateway.test${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" } }),
        bindings,
        ctx,
      );
      return res.json() as Promise<any>;
    });
  const cron = () => withCtx((ctx) => worker.scheduled({ scheduledTime: Date.now(), cron: "*/5 * * * *" }, bindings, ctx));

  it("fires an overdue escalation, schedules each business's end-of-day review, and sends what the outbox left queued", async () => {
    const db = database.handle.db;
    const lead = await api("/api/leads", { method: "POST", body: JSON.stringify(completeLead()) });
    expect(lead).toMatchObject({ state: "offered", ownerId: "dana", escalationLevel: 0 });
    // As if the acceptance window had passed while nothing delivered the wake-up.
    await db.update(timers).set({ dueAt: sql`now() - interval '1 minute'` }).where(eq(timers.leadId, lead.id));
    const [stuck] = await db
      .insert(outboundMessages)
      .values({
        businessId: (await db.select({ id: timers.businessId }).from(timers).where(eq(timers.leadId, lead.id)))[0]!.id,
        to: "+15125550113",
        channel: "sms",
        body: "left queued by a crash",
        purpose: "reply",
        idempotencyKey: `stuck:${crypto.randomUUID()}`,
        createdAt: new Date(Date.now() - 60_000),
        updatedAt: new Date(Date.now() - 60_000),
      })
      .returning();

    await cron();

    const after = await api(`/api/leads/${lead.id}`);
    expect(after).toMatchObject({ escalationLevel: 1, offeredTo: ["dana", "omar"] });
    const { messages } = await api(`/api/messages?lead=${lead.id}`);
    expect(messages.filter((m: any) => m.purpose === "escalation").map((m: any) => [m.to, m.status])).toEqual([["+15125550112", "dry-run"]]);
    expect(await db.select().from(timers).where(and(eq(timers.kind, "end-of-day"), eq(timers.status, "pending")))).toHaveLength(1);
    const [sent] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, stuck!.id));
    expect(sent!.status).toBe("dry-run");

    // The next run finds nothing new to do: the next rung is not due, the review already set.
    await cron();
    expect((await api(`/api/leads/${lead.id}`)).escalationLevel).toBe(1);
    expect(await db.select().from(timers).where(eq(timers.kind, "end-of-day"))).toHaveLength(1);
  });
});
