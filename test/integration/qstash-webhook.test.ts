import { and, eq, sql } from "drizzle-orm";
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, test } from "vitest";
import { businesses } from "../../src/db/schema/businesses.ts";
import { inboundEvents } from "../../src/db/schema/inbound-events.ts";
import { timers } from "../../src/db/schema/timers.ts";
import { webhookRejections } from "../../src/db/schema/webhook-rejections.ts";
import { silentLogger } from "../../src/adapters/logger.ts";
import { qstashDeduplicationId, qstashScheduler } from "../../src/adapters/scheduler/qstash.ts";
import { qstashTimerScheduler } from "../../src/core/qstash-timers.ts";
import { runBackstop } from "../../src/runtime/backstop.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { messagesOfLead } from "../helpers/listings.ts";
import { signQstash } from "../helpers/sign-fixture.ts";
import { ADMIN_TOKEN, completeLead, makeTestApp } from "../helpers/test-app.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

const PUBLIC_URL = "https://gateway.example.com";
const WEBHOOK_URL = `${PUBLIC_URL}/webhooks/qstash`;
const KEYS = { currentSigningKey: "sig_current_5mQ8xT", nextSigningKey: "sig_next_9wR2vK" };
const PUBLISH = "https://qstash.upstash.io/v2/publish/*";

const server = useVendorEdge();

/** A QStash signature for the webhook URL with the current key, unless told otherwise. */
function sign(body: string, opts: { key?: string; url?: string; expiresIn?: number; notBefore?: number } = {}) {
  const expiresAt = Math.floor(Date.now() / 1000) + (opts.expiresIn ?? 300);
  return signQstash(opts.key ?? KEYS.currentSigningKey, opts.url ?? WEBHOOK_URL, body, { notBefore: opts.notBefore, expiresAt });
}

describeOnBackends("QStash timer deliveries on $name", ({ kind, enabled }) => {
  let business: string;
  const t = useTestApp(kind, { deps: { settings: { publicUrl: PUBLIC_URL, adminToken: ADMIN_TOKEN, secrets: {}, qstash: KEYS } } });
  beforeEach(async () => {
    business = await t.newBusiness();
    t.clock.set("2026-11-23T15:00:00Z");
    t.deps.scheduler = { name: "none", schedule: async () => {}, cancel: async () => {} };
  });

  /** Posts a delivery as QStash would: the body, its signature, a message id. */
  async function deliver(body: string, opts: { signature?: string | null; messageId?: string } = {}) {
    const signature = opts.signature === undefined ? await sign(body) : opts.signature;
    const res = await t.app.request("/webhooks/qstash", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "upstash-message-id": opts.messageId ?? `msg_${crypto.randomUUID()}`,
        "upstash-retried": "0",
        ...(signature !== null && { "upstash-signature": signature }),
      },
      body,
    });
    await t.settle();
    return { status: res.status, body: (await res.json()) as any };
  }
  /** A standard lead offered at 09:00; its first wake-up is due at 09:15. */
  async function offeredLead(phone = "+15125550123") {
    const lead = (await t.call("POST", "/api/leads", completeLead({ business, phone }))).body;
    const [timer] = await t.deps.db.select().from(timers).where(eq(timers.leadId, lead.id));
    return { lead, timer: timer!, body: JSON.stringify({ timerId: timer!.id }) };
  }
  const levelOf = async (id: string) => (await t.call("GET", `/api/leads/${id}`)).body.escalationLevel;
  const timerStatus = async (id: string) => (await t.deps.db.select().from(timers).where(eq(timers.id, id)))[0]!.status;
  const escalationsOf = async (id: string) =>
    (await messagesOfLead(t, id)).filter((m) => m.purpose === "escalation");

  test("a delivery signed with the current key fires its timer, and its payload is kept under the message id", async () => {
    const { lead, timer, body } = await offeredLead();
    t.clock.set("2026-11-23T15:15:00Z");
    const res = await deliver(body, { messageId: "msg_first_delivery" });
    expect(res).toMatchObject({ status: 200, body: { ok: true, status: "fired", outcome: { acted: true, level: 1 } } });
    expect(await levelOf(lead.id)).toBe(1);
    expect(await timerStatus(timer.id)).toBe("fired");
    const stored = (await t.deps.db.select().from(inboundEvents).where(eq(inboundEvents.provider, "qstash"))).find((r) =>
      r.idempotencyKey.endsWith("qstash:msg_first_delivery"),
    );
    expect(stored).toMatchObject({ provider: "qstash", rawBody: body, status: "processed" });
  });

  test("a next action's reminder and its overdue notice are delivered by QStash like any other kind", async () => {
    const { lead } = await offeredLead("+15125550177");
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "dana" });
    await t.call("POST", `/api/leads/${lead.id}/next-action`, { action: "call to book", dueAt: "2026-11-23T16:00:00Z" });
    const pending = async (kind: string) =>
      (await t.deps.db.select().from(timers).where(and(eq(timers.leadId, lead.id), eq(timers.kind, kind as "overdue"), eq(timers.status, "pending"))))[0]!;
    const reminder = await pending("next-action-due");
    t.clock.set("2026-11-23T16:00:00Z");
    expect(await deliver(JSON.stringify({ timerId: reminder.id }))).toMatchObject({ status: 200, body: { status: "fired", outcome: { acted: true } } });
    const overdue = await pending("overdue");
    expect(overdue.dueAt).toEqual(new Date("2026-11-23T16:30:00Z"));
    t.clock.set("2026-11-23T16:30:00Z");
    expect(await deliver(JSON.stringify({ timerId: overdue.id }))).toMatchObject({ status: 200, body: { status: "fired", outcome: { acted: true } } });
    const purposes = (await messagesOfLead(t, lead.id)).map((m) => m.purpose);
    expect(purposes).toEqual(expect.arrayContaining(["reminder", "overdue"]));
  });

  test("a delivery signed with the next key (a key rotation) fires too", async () => {
    const { lead, body } = await offeredLead();
    t.clock.set("2026-11-23T15:15:00Z");
    expect((await deliver(body, { signature: await sign(body, { key: KEYS.nextSigningKey }) })).status).toBe(200);
    expect(await levelOf(lead.id)).toBe(1);
  });

  test("a wrong key, another URL, a tampered body, an expired or missing signature: 401, counted, and nothing fires", async () => {
    const { lead, timer, body } = await offeredLead();
    const other = await offeredLead("+15125550188");
    expect(other.timer.id).not.toBe(timer.id);
    t.clock.set("2026-11-23T15:15:00Z");
    const before = await rejections();
    const attempts = [
      await deliver(body, { signature: await sign(body, { key: "sig_attacker" }) }),
      await deliver(body, { signature: await sign(body, { url: "https://elsewhere.example.com/webhooks/qstash" }) }),
      // Signed for one timer, delivered naming another.
      await deliver(other.body, { signature: await sign(body) }),
      await deliver(body, { signature: await sign(body, { expiresIn: -600, notBefore: Math.floor(Date.now() / 1000) - 900 }) }),
      await deliver(body, { signature: null }),
    ];
    for (const res of attempts) expect(res).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect(await timerStatus(timer.id)).toBe("pending");
    expect(await timerStatus(other.timer.id)).toBe("pending");
    expect(await levelOf(lead.id)).toBe(0);
    expect(await levelOf(other.lead.id)).toBe(0);
    expect((await rejections()) - before).toBe(5);
  });

  async function rejections(): Promise<number> {
    const rows = await t.deps.db.select().from(webhookRejections).where(eq(webhookRejections.provider, "qstash"));
    return rows.reduce((n, r) => n + r.count, 0);
  }

  test("a redelivered Upstash-Message-Id does nothing, and neither does a second message for a fired timer", async () => {
    const { lead, body } = await offeredLead();
    t.clock.set("2026-11-23T15:15:00Z");
    await deliver(body, { messageId: "msg_once" });
    t.clock.set("2026-11-23T15:16:00Z");
    expect(await deliver(body, { messageId: "msg_once" })).toMatchObject({ status: 200, body: { status: "duplicate" } });
    expect(await deliver(body, { messageId: "msg_other" })).toMatchObject({ status: 200, body: { status: "not-claimable", detail: "timer is fired" } });
    expect(await levelOf(lead.id)).toBe(1);
    expect(await escalationsOf(lead.id)).toHaveLength(1);
  });

  test("a delivery well before the timer is due leaves it pending, and an unknown timer is acknowledged", async () => {
    const { lead, timer, body } = await offeredLead();
    t.clock.set("2026-11-23T15:05:00Z");
    expect(await deliver(body)).toMatchObject({ status: 200, body: { status: "not-claimable", detail: "not due yet" } });
    expect(await timerStatus(timer.id)).toBe("pending");
    expect(await levelOf(lead.id)).toBe(0);
    const unknown = JSON.stringify({ timerId: "00000000-0000-4000-8000-000000000000" });
    expect(await deliver(unknown)).toMatchObject({ status: 200, body: { status: "unknown-timer" } });
  });

  test("a verified delivery with a body that is not a timer gets 400 naming the problem", async () => {
    expect(await deliver("not json")).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    const res = await deliver(JSON.stringify({ timerId: "42" }));
    expect(res).toMatchObject({ status: 400, body: { error: { code: "validation_failed", details: [{ path: "timerId", message: "not a timer id" }] } } });
  });

  test("a firing that fails answers 500 and leaves the timer pending, so QStash's retry of the same message fires it", async () => {
    const { lead, timer, body } = await offeredLead();
    const [row] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, business));
    // A config the ladder cannot read (as if mid-migration): the firing throws.
    await t.deps.db.update(businesses).set({ config: sql`${businesses.config} - 'escalation'` }).where(eq(businesses.id, row!.id));
    t.clock.set("2026-11-23T15:15:00Z");
    const failed = await deliver(body, { messageId: "msg_retry_me" });
    expect(failed.status).toBe(500);
    expect(await timerStatus(timer.id)).toBe("pending");
    expect(await levelOf(lead.id)).toBe(0);

    await t.deps.db.update(businesses).set({ config: row!.config }).where(eq(businesses.id, row!.id));
    t.clock.set("2026-11-23T15:15:30Z");
    expect(await deliver(body, { messageId: "msg_retry_me" })).toMatchObject({ status: 200, body: { status: "fired" } });
    expect(await levelOf(lead.id)).toBe(1);
  });

  test("without signing keys configured every delivery is refused", async () => {
    const bare = await makeTestApp(kind, { deps: { settings: { publicUrl: PUBLIC_URL, adminToken: ADMIN_TOKEN, secrets: {}, qstash: {} } } });
    try {
      const body = JSON.stringify({ timerId: "00000000-0000-4000-8000-000000000000" });
      const res = await bare.app.request("/webhooks/qstash", {
        method: "POST",
        headers: { "upstash-signature": await sign(body), "upstash-message-id": "msg_x" },
        body,
      });
      expect(res.status).toBe(401);
    } finally {
      await bare.close();
    }
  });

  describe("scheduling on QStash", () => {
    interface Published {
      url: string;
      headers: Headers;
      body: string;
    }
    let published: Published[];
    let deleted: string[];
    beforeEach(() => {
      published = [];
      deleted = [];
      server.use(
        http.post(PUBLISH, async ({ request }) => {
          published.push({ url: request.url, headers: request.headers, body: await request.text() });
          return HttpResponse.json({ messageId: `msg_${published.length}_${crypto.randomUUID().slice(0, 8)}` }, { status: 201 });
        }),
        http.delete("https://qstash.upstash.io/v2/messages/:id", ({ params }) => {
          deleted.push(String(params.id));
          return new HttpResponse(null, { status: 200 });
        }),
      );
      if (enabled) {
        t.deps.scheduler = qstashTimerScheduler(t.deps.db, qstashScheduler({ token: "qstash-test-token", publicUrl: PUBLIC_URL }));
      }
    });

    test("offering a lead publishes its wake-up to the webhook URL, not before it is due, deduplicated by the timer's key", async () => {
      const { lead, timer } = await offeredLead();
      await t.settle();
      expect(published).toHaveLength(1);
      const [publish] = published;
      expect(publish!.url).toBe(`https://qstash.upstash.io/v2/publish/${WEBHOOK_URL}`);
      expect(publish!.headers.get("authorization")).toBe("Bearer qstash-test-token");
      expect(publish!.headers.get("upstash-not-before")).toBe(String(Date.parse("2026-11-23T15:15:00Z") / 1000));
      expect(publish!.headers.get("upstash-deduplication-id")).toBe(qstashDeduplicationId(`escalate:${lead.id}:${Date.parse("2026-11-23T15:00:00Z")}:0`));
      expect(JSON.parse(publish!.body)).toEqual({ timerId: timer.id });
      const [row] = await t.deps.db.select().from(timers).where(eq(timers.id, timer.id));
      expect(row!.externalId).toMatch(/^msg_1_/);
    });

    test("the delivery of that publish escalates and publishes the next rung, due one window later", async () => {
      const { lead } = await offeredLead();
      await t.settle();
      t.clock.set("2026-11-23T15:15:00Z");
      expect((await deliver(published[0]!.body)).body.status).toBe("fired");
      expect(await levelOf(lead.id)).toBe(1);
      expect(published).toHaveLength(2);
      expect(published[1]!.headers.get("upstash-not-before")).toBe(String(Date.parse("2026-11-23T15:30:00Z") / 1000));
    });

    test("a wake-up canceled by ACCEPT is deleted at QStash by the backstop, once", async () => {
      const { lead, timer } = await offeredLead();
      await t.settle();
      const [scheduled] = await t.deps.db.select().from(timers).where(eq(timers.id, timer.id));
      const externalId = scheduled!.externalId;
      expect(externalId).toMatch(/^msg_/);
      await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "dana" });
      await runBackstop({ ...t.deps, logger: silentLogger }, { graceMs: 60_000 });
      await runBackstop({ ...t.deps, logger: silentLogger }, { graceMs: 60_000 });
      expect(deleted).toEqual([externalId]);
      const [row] = await t.deps.db.select().from(timers).where(and(eq(timers.id, timer.id), eq(timers.status, "canceled")));
      expect(row!.externalId).toBeNull();
    });
  });
});
