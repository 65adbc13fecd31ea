import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { Webhook } from "standardwebhooks";
import { systemClock } from "../../src/adapters/clock/clock.ts";
import { eventDeliveries } from "../../src/db/schema/index.ts";
import { sweepEvents } from "../../src/events/event-sweep.ts";
import { claimDelivery, releaseAbandonedAttempts } from "../../src/core/event-claim.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";
import { startReceiver } from "../helpers/webhook-receiver.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ALL = ["lead.created", "lead.offered", "lead.accepted", "lead.rejected", "lead.reassigned", "lead.escalated", "lead.updated", "lead.closed"];
// Short waits between attempts so the schedule runs in milliseconds; eight attempts in all, as in production.
const SCHEDULE = [40, 40, 40, 40, 40, 40, 40];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeOnBackends("outbound events to a real receiver on $name", ({ kind }) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver(SECRET);
  });
  afterAll(async () => receiver?.stop());
  // The real clock: the receiver's library checks webhook-timestamp against its own.
  const t = useTestApp(kind, () => ({
    deps: {
      clock: systemClock,
      settings: {
        publicUrl: "https://gateway.example.com",
        adminToken: "test-admin-token",
        secrets: {},
        qstash: {},
        outboundEvents: { retryScheduleMs: SCHEDULE, timeoutMs: 2_000 },
      },
    },
  }));


  /** Sweeps (as the Node loop does every few seconds) until nothing is pending, waiting out the short schedule. */
  async function sweepUntilSettled(rounds = 40) {
    for (let i = 0; i < rounds; i++) {
      await t.settle();
      await sweepEvents(t.deps);
      const pending = await t.deps.db.select({ id: eventDeliveries.id }).from(eventDeliveries).where(eq(eventDeliveries.status, "pending"));
      if (!pending.length) return;
      await pause(50);
    }
    throw new Error("deliveries still pending");
  }

  test("a receiver that goes down and comes back gets every event, exactly as often as its retries required, in order per lead", async () => {
    const slug = await t.newBusiness((c: any) => (c.webhooks = [{ id: "crm", url: receiver.url, secret: SECRET, events: ALL }]));
    const a = await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550141" }));
    expect(a.status).toBe(201);
    await t.settle();
    expect(receiver.received.map((r) => [r.leadId, r.type])).toEqual([
      [a.body.id, "lead.created"],
      [a.body.id, "lead.offered"],
    ]);

    await receiver.goDown();
    const owner = a.body.ownerId;
    expect((await t.call("POST", `/api/leads/${a.body.id}/accept`, { memberId: owner })).status).toBe(200);
    const b = await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550142", fullName: "Bo Diddley" }));
    expect(b.status).toBe(201);
    await t.settle();
    // Two more rounds of attempts against the closed port.
    for (let i = 0; i < 2; i++) {
      await pause(60);
      await sweepEvents(t.deps);
    }
    const down = await t.deps.db.select().from(eventDeliveries).where(eq(eventDeliveries.leadId, b.body.id)).orderBy(asc(eventDeliveries.seq));
    expect(down.map((r) => [r.eventType, r.status])).toEqual([
      ["lead.created", "pending"],
      ["lead.offered", "pending"],
    ]);
    // The later event of the lead waits behind the earlier one: never attempted while it is pending.
    expect(down[0]!.attempts).toBe(3);
    expect(down[1]!.attempts).toBe(0);
    expect(down[0]!.lastError).toBeTruthy();

    await receiver.comeBack();
    receiver.failNext(1); // the first arrival after the outage is answered 500 and must be retried
    expect((await t.call("POST", `/api/leads/${a.body.id}/close`, { memberId: owner, outcome: "booked" })).status).toBe(200);
    await sweepUntilSettled();

    const got = receiver.received;
    const ofLead = (id: string) => got.filter((r) => r.leadId === id).map((r) => r.type);
    expect(ofLead(a.body.id)).toEqual(["lead.created", "lead.offered", "lead.accepted", "lead.closed"]);
    expect(ofLead(b.body.id)).toEqual(["lead.created", "lead.offered"]);
    // Each event arrived (verified) once with a 2xx; the one answered 500 arrived twice in all.
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
    expect(receiver.answered500).toHaveLength(1);
    expect(got.map((r) => r.id)).toContain(receiver.answered500[0]!.id);

    const rows = await t.deps.db.select().from(eventDeliveries).where(eq(eventDeliveries.webhookId, "crm"));
    const mine = rows.filter((r) => r.leadId === a.body.id || r.leadId === b.body.id);
    expect(mine).toHaveLength(6);
    expect(mine.every((r) => r.status === "delivered")).toBe(true);
    // Attempts = refused connections + arrivals: every attempt is accounted for.
    for (const row of mine) {
      const arrivals = got.filter((r) => r.id === row.id).length + receiver.answered500.filter((r) => r.id === row.id).length;
      expect(arrivals).toBeGreaterThanOrEqual(1);
      expect(row.attempts).toBeGreaterThanOrEqual(arrivals);
    }
    const bCreated = mine.find((r) => r.leadId === b.body.id && r.eventType === "lead.created")!;
    const bOffered = mine.find((r) => r.leadId === b.body.id && r.eventType === "lead.offered")!;
    expect(bOffered.attempts).toBe(got.filter((r) => r.id === bOffered.id).length + receiver.answered500.filter((r) => r.id === bOffered.id).length);
    expect(bCreated.attempts).toBeGreaterThanOrEqual(4);

    // The body is the contract's shape, with the lead as the API shows it.
    const closed = JSON.parse(got.find((r) => r.type === "lead.closed")!.body);
    expect(Object.keys(closed)).toEqual(["type", "timestamp", "data"]);
    const apiLead = (await t.call("GET", `/api/leads/${a.body.id}`)).body;
    const { events: _history, ...leadShown } = apiLead;
    expect(closed.data.lead).toEqual(leadShown);
    expect(closed.data.lead).toMatchObject({ state: "closed", outcome: "booked" });
    // The timeline says where each went.
    expect(apiLead.events.filter((e: any) => e.type === "webhook_delivered").map((e: any) => e.detail.event)).toEqual([
      "lead.created",
      "lead.offered",
      "lead.accepted",
      "lead.closed",
    ]);
  });

  test("forged deliveries fail the receiver's verification: another secret, a changed body, a replayed old timestamp", async () => {
    const real = receiver.received.find((r) => r.type === "lead.closed")!;
    const signed = { "webhook-id": real.headers["webhook-id"]!, "webhook-timestamp": real.headers["webhook-timestamp"]!, "webhook-signature": real.headers["webhook-signature"]! };
    const post = (body: string, headers: Record<string, string>) =>
      fetch(receiver.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const before = receiver.received.length;
    const forger = new Webhook("whsec_" + Buffer.from("x".repeat(32)).toString("base64"));
    const now = new Date();
    const forged = { "webhook-id": "msg_forged", "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": forger.sign("msg_forged", now, real.body) };
    expect((await post(real.body, forged)).status).toBe(401);
    const tampered = real.body.replace('"state":"closed"', '"state":"offered"');
    expect(tampered).not.toBe(real.body);
    expect((await post(tampered, signed)).status).toBe(401);
    const old = new Date(Date.now() - 10 * 60_000);
    const replay = { ...signed, "webhook-timestamp": String(Math.floor(old.getTime() / 1000)), "webhook-signature": new Webhook(SECRET).sign(real.id, old, real.body) };
    expect((await post(real.body, replay)).status).toBe(401);
    expect(receiver.received.length).toBe(before);
    // And the genuine one still verifies: the refusals are the forgeries', not the receiver's.
    expect(() => new Webhook(SECRET).verify(real.body, signed)).not.toThrow();
    expect(receiver.refusedSignatures).toHaveLength(3);
  });

  test("a delivery whose retries all fail is failed, no longer holds back the lead's later events, shows in the log and on the timeline, and an operator's retry delivers it", async () => {
    const slug = await t.newBusiness((c: any) => (c.webhooks = [{ id: "ops", url: receiver.url, secret: SECRET, events: ["lead.created", "lead.closed"] }]));
    receiver.failNext(8); // the whole schedule: the first attempt and seven retries, each answered 500
    const lead = await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550143" }));
    await sweepUntilSettled();
    const failed = await t.call("GET", `/api/deliveries?business=${slug}&status=failed`);
    expect(failed.body.deliveries).toHaveLength(1);
    expect(failed.body.deliveries[0]).toMatchObject({ event: "lead.created", status: "failed", attempts: 8, lastStatus: 500, lastError: "answered 500", nextAttemptAt: null });
    expect(receiver.answered500.filter((r) => r.id === failed.body.deliveries[0].id)).toHaveLength(8);

    // The lead's next event is not held back by the failed one.
    expect((await t.call("POST", `/api/leads/${lead.body.id}/close`, { outcome: "spam" })).status).toBe(200);
    await sweepUntilSettled();
    expect(receiver.received.filter((r) => r.leadId === lead.body.id).map((r) => r.type)).toEqual(["lead.closed"]);

    const timeline = (await t.call("GET", `/api/leads/${lead.body.id}`)).body.events.filter((e: any) => e.type.startsWith("webhook_"));
    expect(timeline.map((e: any) => [e.type, e.detail.event])).toEqual([
      ["webhook_failed", "lead.created"],
      ["webhook_delivered", "lead.closed"],
    ]);

    const id = failed.body.deliveries[0].id;
    const retried = await t.call("POST", `/api/deliveries/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(id);
    await sweepUntilSettled();
    const created = receiver.received.filter((r) => r.leadId === lead.body.id && r.type === "lead.created");
    expect(created.map((r) => r.id)).toEqual([id]);
    expect((await t.call("GET", `/api/deliveries?business=${slug}&status=delivered`)).body.deliveries).toHaveLength(2);
  });

  test("a subscription only gets the events it lists, and a business without webhooks writes no deliveries", async () => {
    const slug = await t.newBusiness((c: any) => (c.webhooks = [{ id: "closings", url: receiver.url, secret: SECRET, events: ["lead.closed"] }]));
    const plain = await t.newBusiness();
    const a = await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550144" }));
    await t.call("POST", "/api/leads", completeLead({ business: plain, phone: "+15125550145" }));
    await t.call("POST", `/api/leads/${a.body.id}/close`, { outcome: "lost" });
    await sweepUntilSettled();
    expect((await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries.map((d: any) => d.event)).toEqual(["lead.closed"]);
    expect((await t.call("GET", `/api/deliveries?business=${plain}`)).body.deliveries).toEqual([]);
  });

  test("sweeps racing over the same due deliveries send each exactly once", async () => {
    const slug = await t.newBusiness((c: any) => (c.webhooks = [{ id: "race", url: receiver.url, secret: SECRET, events: ["lead.created", "lead.offered"] }]));
    await receiver.goDown();
    const leads: string[] = [];
    for (let i = 0; i < 6; i++) leads.push((await t.call("POST", "/api/leads", completeLead({ business: slug, phone: `+1512555016${i}` }))).body.id);
    await t.settle();
    await receiver.comeBack();
    await pause(60);
    const before = receiver.received.length;
    // Three sweepers at once, as three processes would (on PostgreSQL each on its own connection).
    await Promise.all([sweepEvents(t.deps), sweepEvents(t.deps), sweepEvents(t.deps)]);
    await sweepUntilSettled();
    const got = receiver.received.slice(before).filter((r) => leads.includes(r.leadId));
    expect(got).toHaveLength(12);
    expect(new Set(got.map((r) => r.id)).size).toBe(12);
    for (const id of leads) expect(got.filter((r) => r.leadId === id).map((r) => r.type)).toEqual(["lead.created", "lead.offered"]);
  });
  test("an attempt left holding its lease by a dead process is taken over after the lease, at once on the embedded database's restart", async () => {
    const slug = await t.newBusiness((c: any) => (c.webhooks = [{ id: "lease", url: receiver.url, secret: SECRET, events: ["lead.created"] }]));
    await receiver.goDown();
    const lead = (await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550191" }))).body;
    await t.settle();
    await receiver.comeBack();
    const [row] = await t.deps.db.select().from(eventDeliveries).where(eq(eventDeliveries.leadId, lead.id));
    await pause(60);
    // As if a sender claimed it and died mid-attempt: held for a minute.
    expect(await claimDelivery(t.deps.db, row!.id, new Date())).not.toBeNull();
    expect(await sweepEvents(t.deps)).toBe(0);
    expect(await releaseAbandonedAttempts(t.deps.db, new Date())).toBe(1);
    await sweepUntilSettled();
    const [after] = await t.deps.db.select().from(eventDeliveries).where(eq(eventDeliveries.id, row!.id));
    expect(after).toMatchObject({ status: "delivered", attempts: 3 });
    expect(receiver.received.filter((r) => r.id === row!.id)).toHaveLength(1);
  });
});

describeOnBackends("a receiver that never answers on $name", ({ kind }) => {
  // Accepts connections and never answers: each attempt waits out its whole timeout.
  const hanging = createServer(() => {});
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    if (hanging.listening) await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });
  const t = useTestApp(kind, () => ({
    deps: {
      settings: {
        publicUrl: "https://gateway.example.com",
        adminToken: "test-admin-token",
        secrets: {},
        qstash: {},
        outboundEvents: { retryScheduleMs: SCHEDULE, timeoutMs: 10_000 },
      },
    },
  }));

  test("slows neither intake nor the offer texts: both finish while every attempt is still waiting for it", async () => {
    const slug = await t.newBusiness((c: any) => (c.webhooks = [{ id: "slow", url, secret: SECRET, events: ALL }]));
    const started = Date.now();
    const made: string[] = [];
    // More leads than the event lane has slots, so attempts queue behind hanging ones.
    for (let i = 0; i < 6; i++) {
      const res = await t.call("POST", "/api/leads", completeLead({ business: slug, phone: `+1512555017${i}` }));
      expect(res.status).toBe(201);
      made.push(res.body.id as string);
    }
    await t.deps.background.drain(); // the texts and everything else but the event lane
    const elapsed = Date.now() - started;
    const offers = (await t.call("GET", `/api/messages?business=${slug}`)).body.messages.filter((m: any) => m.purpose === "offer");
    expect(offers).toHaveLength(6);
    expect(offers.every((m: any) => m.status === "dry-run")).toBe(true);
    // Less than one attempt's timeout: nothing above waited for the receiver.
    expect(elapsed).toBeLessThan(10_000);
    const pending = (await t.call("GET", `/api/deliveries?business=${slug}&status=pending`)).body.deliveries;
    expect(pending).toHaveLength(12);
    // Not one attempt has ended yet: the texts went out while every delivery was still waiting.
    expect(pending.every((d: any) => d.lastError === null && d.lastStatus === null)).toBe(true);
    // The receiver goes away: the attempts in flight, and those queued behind them, end as failures quickly.
    hanging.close();
    hanging.closeAllConnections();
    await t.settle();
    const after = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries;
    expect(after.some((d: any) => d.lastError)).toBe(true);
    expect(after.every((d: any) => d.status === "pending")).toBe(true);
  }, 60_000);
});
