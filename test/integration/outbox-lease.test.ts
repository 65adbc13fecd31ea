import { eq } from "drizzle-orm";
import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it, test } from "vitest";
import { businesses, optOuts, outboundMessages } from "../../src/db/schema/index.ts";
import { deliverMessage } from "../../src/messaging/deliver-message.ts";
import { twilioMessaging } from "../../src/adapters/messaging/twilio.ts";
import { sweepOutbox } from "../../src/messaging/outbox-sweep.ts";
import { releaseAbandonedSends, SEND_LEASE_MS } from "../../src/core/outbox-claim.ts";
import { applyBusinessConfig } from "../../src/admin/businesses.ts";
import worker from "../../src/worker.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import type { TestApp } from "../helpers/test-app.ts";
import { ACCOUNT_SID, AUTH_TOKEN, TWILIO_MESSAGES as MESSAGES, useVendorEdge } from "../helpers/vendor-edge.ts";
import { acceptingMessaging, DANA, fixture, postTwilio } from "../helpers/twilio.ts";

// An outbox row whose sender died mid-send (a crash, the database gone between the claim and
// the update) is `sending` with a lease; once the lease runs out the sweep takes it over.

/** An outbox row for the business, as a dead sender left it. */
async function insertRow(t: TestApp, slug: string, values: Partial<typeof outboundMessages.$inferInsert>) {
  const [business] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug));
  const [row] = await t.deps.db
    .insert(outboundMessages)
    .values({
      businessId: business!.id,
      memberId: "dana",
      to: DANA,
      channel: "sms",
      body: `New lead ${crypto.randomUUID()}`,
      purpose: "offer",
      idempotencyKey: `stuck:${crypto.randomUUID()}`,
      createdAt: t.clock.now(),
      updatedAt: t.clock.now(),
      ...values,
    })
    .returning();
  return row!;
}
const rowOf = async (t: TestApp, id: string) => (await t.deps.db.select().from(outboundMessages).where(eq(outboundMessages.id, id)))[0]!;

describeOnBackends("outbox leases on $name", ({ kind }) => {
  const messaging = acceptingMessaging();
  let slug: string;
  const t = useTestApp(kind, { messaging });
  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    messaging.sent.length = 0;
    slug = await t.newBusiness();
  });

  test("a row left sending is taken over once its lease runs out, and sent exactly once", async () => {
    const row = await insertRow(t, slug, { status: "sending", attempts: 1, lockedUntil: new Date(t.clock.now().getTime() + SEND_LEASE_MS) });
    // The lease is still running: its sender may be alive and mid-send.
    t.clock.advance(SEND_LEASE_MS - 1_000);
    await sweepOutbox(t.deps);
    expect(messaging.sent).toHaveLength(0);

    t.clock.advance(2_000);
    expect(await sweepOutbox(t.deps)).toBe(1);
    await sweepOutbox(t.deps);
    t.clock.advance(SEND_LEASE_MS * 2);
    await sweepOutbox(t.deps);
    expect(messaging.sent.map((m) => m.messageId)).toEqual([row.id]);
    expect(await rowOf(t, row.id)).toMatchObject({ status: "queued", attempts: 2, lockedUntil: null });
    expect((await rowOf(t, row.id)).providerId).toMatch(/^SM/);
  });

  test("a row left sending before leases existed (no lease at all) is taken over", async () => {
    const row = await insertRow(t, slug, { status: "sending", attempts: 1, lockedUntil: null });
    await sweepOutbox(t.deps);
    expect(messaging.sent.map((m) => m.messageId)).toEqual([row.id]);
  });

  test("on the embedded database a restart ends the dead process's leases at once", async () => {
    const row = await insertRow(t, slug, { status: "sending", attempts: 1, lockedUntil: new Date(t.clock.now().getTime() + SEND_LEASE_MS) });
    await sweepOutbox(t.deps);
    expect(messaging.sent).toHaveLength(0);
    // What openDatabase does on PGlite, behind the data-directory lock.
    expect(await releaseAbandonedSends(t.deps.db, t.clock.now())).toBeGreaterThanOrEqual(1);
    await sweepOutbox(t.deps);
    expect(messaging.sent.map((m) => m.messageId)).toEqual([row.id]);
  });

  test("a text Twilio took is never sent again, whatever status Twilio reports on it", async () => {
    const row = await insertRow(t, slug, {});
    t.clock.advance(10_000);
    await sweepOutbox(t.deps);
    expect(messaging.sent).toHaveLength(1);
    // Twilio answers a create with status "queued", then reports "sending": its words, not ours.
    expect((await rowOf(t, row.id)).status).toBe("queued");
    t.clock.advance(10_000);
    await sweepOutbox(t.deps);
    expect(messaging.sent).toHaveLength(1);
    const providerId = (await rowOf(t, row.id)).providerId!;
    await postTwilio(t, slug, "status", { ...fixture("message-status-delivered.json"), MessageSid: providerId, SmsSid: providerId, MessageStatus: "sending", SmsStatus: "sending" });
    expect((await rowOf(t, row.id)).status).toBe("sending");
    t.clock.advance(SEND_LEASE_MS * 2);
    await sweepOutbox(t.deps);
    await sweepOutbox(t.deps);
    expect(messaging.sent).toHaveLength(1);
  });

  test("a send that got no answer (network error) stays sending and is tried again after looking it up", async () => {
    let fail = true;
    const flaky = {
      name: "flaky",
      sent: [] as string[],
      looked: [] as Date[],
      async send(message: { messageId: string }) {
        if (fail) throw new Error("socket hang up");
        this.sent.push(message.messageId);
        return { status: "queued" as const, providerId: "SM_after_lookup" };
      },
      async lookup(_message: unknown, since: Date) {
        this.looked.push(since);
        return null;
      },
    };
    const original = t.deps.messaging;
    t.deps.messaging = flaky;
    try {
      const row = await insertRow(t, slug, {});
      t.clock.advance(10_000);
      await sweepOutbox(t.deps);
      // Twilio may have it: not back to the queue, but `sending` with its lease ended.
      expect(await rowOf(t, row.id)).toMatchObject({ status: "sending", attempts: 1, statusReason: "socket hang up" });
      fail = false;
      t.clock.advance(10_000);
      await sweepOutbox(t.deps);
      expect(flaky.looked).toHaveLength(1);
      expect(flaky.sent).toEqual([row.id]);
      expect(await rowOf(t, row.id)).toMatchObject({ status: "queued", providerId: "SM_after_lookup", attempts: 2 });
    } finally {
      t.deps.messaging = original;
    }
  });
});

// The provider lookup over Twilio's real REST shapes (msw at the HTTP edge).

describe("taking over an abandoned send through Twilio", () => {
  const server = useVendorEdge();
  const t = useTestApp("pglite", () => ({ messaging: twilioMessaging({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseDelayMs: 1 }) }));
  let slug: string;
  beforeEach(async () => {
    server.resetHandlers();
    t.clock.set("2026-11-23T15:00:00Z");
    slug = await t.newBusiness();
  });

  const twilioMessage = (sid: string, body: string) => ({
    account_sid: ACCOUNT_SID, api_version: "2010-04-01", body, direction: "outbound-api", from: "+15125550100",
    to: DANA, sid, status: "delivered", date_created: "Mon, 23 Nov 2026 15:00:01 +0000", date_sent: "Mon, 23 Nov 2026 15:00:02 +0000",
    uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`,
  });
  /** Twilio's list of messages, and every create it is asked for. */
  function twilioHas(messages: object[]) {
    const lookups: URLSearchParams[] = [];
    const creates: string[] = [];
    server.use(
      http.get(MESSAGES, ({ request }) => {
        lookups.push(new URL(request.url).searchParams);
        return HttpResponse.json({ messages, next_page_uri: null, page: 0, page_size: 50, uri: "/x" });
      }),
      http.post(MESSAGES, async ({ request }) => {
        creates.push(await request.text());
        return HttpResponse.json(twilioMessage("SM000000000000000000000000000000b2", "x"), { status: 201 });
      }),
    );
    return { lookups, creates };
  }

  it("finds the message Twilio already took and records it instead of sending a second", async () => {
    const row = await insertRow(t, slug, { status: "sending", attempts: 1, lockedUntil: t.clock.now() });
    const twilio = twilioHas([twilioMessage("SM000000000000000000000000000000a1", row.body)]);
    t.clock.advance(SEND_LEASE_MS);
    await sweepOutbox(t.deps);
    expect(twilio.creates).toHaveLength(0);
    expect(twilio.lookups[0]!.get("To")).toBe(DANA);
    expect(twilio.lookups[0]!.get("From")).toBe("+15125550100");
    // Looked up from a minute before the abandoned claim (clock skew), not from the takeover.
    expect(twilio.lookups[0]!.get("DateSent>")).toBe("2026-11-23T14:59:00Z");
    expect(await rowOf(t, row.id)).toMatchObject({ status: "delivered", providerId: "SM000000000000000000000000000000a1" });
  });

  it("sends once when Twilio has no such message (the sender died before reaching it)", async () => {
    const row = await insertRow(t, slug, { status: "sending", attempts: 1, lockedUntil: t.clock.now() });
    const twilio = twilioHas([twilioMessage("SM000000000000000000000000000000a9", "some other text")]);
    t.clock.advance(SEND_LEASE_MS);
    await sweepOutbox(t.deps);
    await sweepOutbox(t.deps);
    expect(twilio.creates).toHaveLength(1);
    expect(new URLSearchParams(twilio.creates[0]).get("Body")).toBe(row.body);
    expect((await rowOf(t, row.id)).providerId).toBe("SM000000000000000000000000000000b2");
  });
});

// The Workers Cron Trigger is the outbox's only sweeper there: it must take over expired sends too.
describe.skipIf(!TEST_DATABASE_URL)("the Workers cron and an abandoned send", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await applyBusinessConfig(database.handle.db, demoInput(), { appliedBy: "test", now: new Date() });
  });
  afterAll(async () => database?.drop());

  it("sends a row whose sender's lease ran out, once", async () => {
    const db = database.handle.db;
    const [business] = await db.select().from(businesses).where(eq(businesses.slug, "acme"));
    const stale = new Date(Date.now() - SEND_LEASE_MS - 60_000);
    const [row] = await db
      .insert(outboundMessages)
      .values({
        businessId: business!.id, to: DANA, channel: "sms", body: "left sending by a dead Worker", purpose: "reply",
        idempotencyKey: `stuck:${crypto.randomUUID()}`, status: "sending", attempts: 1, lockedUntil: new Date(stale.getTime() + SEND_LEASE_MS),
        createdAt: stale, updatedAt: stale,
      })
      .returning();
    const bindings = { DATABASE_URL: database.url, ADMIN_TOKEN: "cron-outbox-test" };
    const cron = async () => {
      const pending: Promise<unknown>[] = [];
      await worker.scheduled({ scheduledTime: Date.now(), cron: "*/5 * * * *" }, bindings, { waitUntil: (p) => void pending.push(p) });
      await Promise.allSettled(pending);
    };
    await cron();
    await cron();
    const [after] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, row!.id));
    // Dry-run on Workers without Twilio credentials: recorded as sent once (attempts 2: the dead one and this).
    expect(after).toMatchObject({ status: "dry-run", attempts: 2, lockedUntil: null });
  });
});

// The claim is one statement (issue 16): many deliverers of one row at the same moment, on real
// concurrent connections, still send it once; the business and the opt-out come with the claim.
describe.skipIf(!TEST_DATABASE_URL)("claiming one outbox row from many deliverers at once (PostgreSQL)", () => {
  const messaging = acceptingMessaging();
  const t = useTestApp("postgres", { messaging });

  it("20 deliverers of each of 10 queued rows send each row once", async () => {
    const slug = await t.newBusiness();
    const rows = await Promise.all(Array.from({ length: 10 }, () => insertRow(t, slug, { status: "queued" })));
    messaging.sent.length = 0;
    const outcomes = await Promise.all(rows.flatMap((row) => Array.from({ length: 20 }, () => deliverMessage(t.deps, row.id))));
    expect(outcomes.filter((o) => o.kind === "delivered")).toHaveLength(10);
    expect(outcomes.filter((o) => o.kind === "skipped")).toHaveLength(190);
    expect(messaging.sent.map((m) => m.messageId).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const row of rows) expect(await rowOf(t, row.id)).toMatchObject({ attempts: 1 });
  });

  it("a recipient who opted out at the message's business is suppressed by the claim's own read", async () => {
    const slug = await t.newBusiness();
    const [business] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug));
    await t.deps.db.insert(optOuts).values({ businessId: business!.id, phone: DANA, optedOut: true, keyword: "STOP", updatedAt: t.clock.now() });
    const row = await insertRow(t, slug, { status: "queued" });
    messaging.sent.length = 0;
    expect(await deliverMessage(t.deps, row.id)).toMatchObject({ kind: "rejected", cause: "opted_out" });
    expect(messaging.sent).toHaveLength(0);
    expect(await rowOf(t, row.id)).toMatchObject({ status: "suppressed", statusReason: "recipient opted out (STOP)" });
  });
});
