import { afterEach, beforeEach, expect, test } from "vitest";
import { ANALYSIS_GRACE_MS } from "../../src/intake/process-intake.ts";
import { runBackstop } from "../../src/runtime/backstop.ts";
import { like } from "drizzle-orm";
import { inboundEvents } from "../../src/db/schema/index.ts";
import { sweepInbox } from "../../src/intake/inbox-sweep.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadById, leadsOf, messagesOf } from "../helpers/listings.ts";
import {
  blandCall,
  fakeBland,
  fakeRetell,
  fakeVapi,
  retellCall,
  vapiCall,
  vapiWebhook,
} from "../helpers/provider-apis.ts";
import { quickRetries, reconcileNow, stopReconciling } from "../helpers/reconcile.ts";
import { fixture, signedHeaders } from "../helpers/sign-fixture.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

const MAIN_LINE = "+15125550100";
const OTHER_BUSINESS = "+15125559900";
const minutes = (n: number) => n * 60_000;

describeOnBackends("reconciliation with Vapi, Retell and Bland on $name", ({ kind }) => {
  const server = useVendorEdge();
  const t = useTestApp(kind);
  let slug: string;
  const downAt = () => new Date(t.clock.now().getTime() - minutes(30));

  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    quickRetries(t);
  });
  afterEach(() => stopReconciling(t, slug));

  const post = async (provider: "vapi" | "retell" | "bland", body: string) => {
    const res = await t.app.request(`/webhooks/${slug}/${provider}`, { method: "POST", body, headers: await signedHeaders(provider, body, t.clock.now()) });
    await t.settle();
    return (await res.json()) as any;
  };
  const status = async () => (await t.call("GET", `/api/reconciliation?business=${slug}`)).body;

  test("Vapi calls that ended while the gateway was down become one lead each, through every page of the list, and a late webhook changes nothing", async () => {
    slug = await t.newBusiness((c) => {
      // A shared agency key: only calls on this business's own Vapi number are its own.
      c.reconcile = { vapi: { apiKey: "vapi-key", numbers: [MAIN_LINE] }, every: "5m", lookBack: "2h" };
    });
    const vapi = fakeVapi(server, "vapi-key");
    vapi.phoneNumbers.set("pn-other", OTHER_BUSINESS);
    // 120 calls of another business's number fill more than one page of 100.
    for (let i = 0; i < 120; i++) vapi.calls.push(vapiCall(`other-${i}`, new Date(downAt().getTime() + i * 1000), { phoneNumberId: "pn-other" }));
    const missed = ["vapi-missed-1", "vapi-missed-2", "vapi-missed-3"].map((id, i) =>
      vapiCall(id, new Date(downAt().getTime() + minutes(i + 1)), { customer: { number: `+1512555014${i + 2}` } }),
    );
    vapi.calls.push(...missed);
    // One call's webhook did arrive; one call is still going on.
    const delivered = vapiCall("vapi-delivered", new Date(downAt().getTime() + minutes(5)), { customer: { number: "+15125550149" } });
    vapi.calls.push(delivered, vapiCall("vapi-live", t.clock.now(), { status: "in-progress", endedAt: null }));
    expect(await post("vapi", vapiWebhook(delivered))).toMatchObject({ ok: true });
    expect(await leadsOf(t, slug)).toHaveLength(1);

    await reconcileNow(t);

    const leads = await leadsOf(t, slug);
    expect(leads).toHaveLength(4);
    for (const call of missed) {
      const lead = leads.find((l) => l.externalId === call.id);
      expect(lead, call.id).toMatchObject({ channel: "vapi", phone: call.customer.number, state: "offered" });
      const { events } = await leadById(t, lead.id);
      expect(events.filter((e: any) => e.type === "recovered")).toMatchObject([{ detail: { provider: "vapi", by: "reconciliation", externalId: call.id } }]);
    }
    expect((await leadById(t, leads.find((l) => l.externalId === "vapi-delivered").id)).events.map((e: any) => e.type)).not.toContain("recovered");
    // Two pages: the second asked for what was created before the oldest call of the first.
    expect(vapi.requests.length).toBe(2);
    const hundredth = [...vapi.calls].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[99]!.createdAt;
    expect(vapi.requests[1]!.searchParams.get("createdAtLt")).toBe(hundredth);
    expect(vapi.requests[0]!.searchParams.get("createdAtGe")).toBe(new Date(t.clock.now().getTime() - minutes(120)).toISOString());
    expect(await status()).toMatchObject({ business: slug, vapi: { enabled: true, seen: 4, recovered: 3, errors: 0, lastRunAt: t.clock.now().toISOString() } });

    // Vapi's webhook for a recovered call arrives late: answered as a duplicate, nothing else happens.
    const before = await messagesOf(t, slug);
    expect(await post("vapi", vapiWebhook(missed[0]!))).toMatchObject({ ok: true, duplicate: true });
    expect(await leadsOf(t, slug)).toHaveLength(4);
    expect(await messagesOf(t, slug)).toHaveLength(before.length);

    // The next run lists the same calls again (the overlap) and recovers nothing.
    t.clock.advance(minutes(5));
    await reconcileNow(t);
    expect(await leadsOf(t, slug)).toHaveLength(4);
    expect(await status()).toMatchObject({ vapi: { recovered: 0, seen: 4, totals: { runs: 2, recovered: 3 } } });
  });

  test("Retell: an analyzed call goes in as call_analyzed, a never-connected one as call_ended, one still awaiting analysis waits, and pages are followed", async () => {
    slug = await t.newBusiness((c) => {
      c.reconcile = { retell: { apiKey: "retell-key" }, every: "5m", lookBack: "2h" };
    });
    const retell = fakeRetell(server, "retell-key", { pageCap: 2 });
    const analyzed = retellCall("retell-analyzed", downAt());
    const noAnswer = retellCall("retell-no-answer", new Date(downAt().getTime() + minutes(1)), {
      ...JSON.parse(fixture("retell/never-connected")).call,
      call_id: "retell-no-answer",
      start_timestamp: downAt().getTime() + minutes(1),
      end_timestamp: downAt().getTime() + minutes(1) + 20_000,
      from_number: "+15125550177",
    });
    const justEnded = retellCall("retell-just-ended", new Date(t.clock.now().getTime() - 60_000), { end_timestamp: t.clock.now().getTime() - 10_000, call_analysis: undefined, from_number: "+15125550178" });
    const delivered = retellCall("retell-delivered", new Date(downAt().getTime() + minutes(2)), { from_number: "+15125550179" });
    const live = retellCall("retell-live", t.clock.now(), { call_status: "ongoing", end_timestamp: undefined });
    retell.calls.push(analyzed, noAnswer, justEnded, delivered, live);
    await post("retell", JSON.stringify({ event: "call_analyzed", call: delivered }));

    await reconcileNow(t);

    const leads = await leadsOf(t, slug);
    expect(leads.map((l) => l.externalId).sort()).toEqual(["retell-analyzed", "retell-delivered", "retell-no-answer"]);
    expect(leads.find((l) => l.externalId === "retell-no-answer")).toMatchObject({ source: "missed_call", phone: "+15125550177" });
    // The delivered call was not fetched again; the live one not at all.
    expect(retell.gets.sort()).toEqual(["retell-analyzed", "retell-just-ended", "retell-no-answer"]);
    expect(retell.listBodies.length).toBe(3);
    expect(retell.listBodies[0]).toMatchObject({ filter_criteria: { start_timestamp: { type: "number", op: "ge", value: t.clock.now().getTime() - minutes(120) } }, sort_order: "ascending" });
    expect(retell.listBodies[1]!.pagination_key).toEqual(expect.any(String));

    // A late call_analyzed webhook of a recovered call: nothing new.
    expect(await post("retell", JSON.stringify({ event: "call_analyzed", call: analyzed }))).toMatchObject({ duplicate: true });

    // Its analysis came: the call that was waiting goes in on the next run.
    justEnded.call_analysis = retellCall("x", t.clock.now(), { from_number: "+15125550178" }).call_analysis;
    t.clock.advance(Math.max(ANALYSIS_GRACE_MS, minutes(5)));
    await reconcileNow(t);
    expect((await leadsOf(t, slug)).map((l) => l.externalId)).toContain("retell-just-ended");
    expect(await status()).toMatchObject({ retell: { recovered: 1, totals: { recovered: 3 } } });
  });

  test("Retell: when only call_ended came (its call_analyzed was lost), reconciliation brings the analysis under call_analyzed's key and the waiting call_ended is superseded", async () => {
    slug = await t.newBusiness((c) => {
      c.reconcile = { retell: { apiKey: "retell-key" }, every: "5m", lookBack: "2h" };
    });
    const retell = fakeRetell(server, "retell-key");
    const call = retellCall("retell-half-delivered", downAt(), { from_number: "+15125550176" });
    retell.calls.push(call);
    const { call_analysis: _lost, ...ended } = call;
    expect(await post("retell", JSON.stringify({ event: "call_ended", call: ended }))).toMatchObject({ ok: true });
    // The call_ended waits for its analysis (ANALYSIS_GRACE_MS): no lead yet.
    expect(await leadsOf(t, slug)).toHaveLength(0);

    await reconcileNow(t);
    expect(retell.gets).toEqual(["retell-half-delivered"]);
    const [lead] = await leadsOf(t, slug);
    expect(lead).toMatchObject({ externalId: "retell-half-delivered", phone: "+15125550176", fullName: "Carlos Mendoza" });
    const { events } = await leadById(t, lead.id);
    expect(events.filter((e: any) => e.type === "recovered")).toMatchObject([{ detail: { provider: "retell" } }]);

    // The sweep finishes the waiting call_ended: superseded, still one lead.
    t.clock.advance(ANALYSIS_GRACE_MS);
    await sweepInbox(t.deps);
    await t.settle();
    expect(await leadsOf(t, slug)).toHaveLength(1);
    const rows = await t.deps.db.select({ key: inboundEvents.idempotencyKey, status: inboundEvents.status }).from(inboundEvents).where(like(inboundEvents.idempotencyKey, "%retell-half-delivered%"));
    expect(rows.map((r) => [r.key.split("/")[1], r.status]).sort()).toEqual([
      ["retell:retell-half-delivered:call_analyzed", "processed"],
      ["retell:retell-half-delivered:call_ended", "superseded"],
    ]);
  });

  test("Bland: finished calls are paged newest first until older than the window, fetched whole and made leads once", async () => {
    slug = await t.newBusiness((c) => {
      c.reconcile = { bland: { apiKey: "bland-key", numbers: [MAIN_LINE] }, every: "5m", lookBack: "2h" };
    });
    const bland = fakeBland(server, "bland-key");
    for (let i = 0; i < 100; i++) bland.calls.push(blandCall(`bland-other-${i}`, new Date(t.clock.now().getTime() - 1000 * (i + 1)), { to: OTHER_BUSINESS }));
    const missed = blandCall("bland-missed", downAt(), { from: "+15125550188" });
    const old = blandCall("bland-old", new Date(t.clock.now().getTime() - minutes(180)), { from: "+15125550189" });
    const queued = blandCall("bland-queued", new Date(t.clock.now().getTime() - 5000), { completed: false, queue_status: "started", from: "+15125550187" });
    bland.calls.push(missed, old, queued);

    await reconcileNow(t);

    expect((await leadsOf(t, slug)).map((l) => l.externalId)).toEqual(["bland-missed"]);
    expect(bland.gets).toEqual(["bland-missed"]);
    expect(bland.lists.map((u) => [u.searchParams.get("from"), u.searchParams.get("to"), u.searchParams.get("ascending")])).toEqual([
      ["0", "100", "false"],
      ["100", "200", "false"],
    ]);
    const body = fixture("bland/complete-call").replace(/"call_id":\s*"[^"]+"/, `"call_id": "bland-missed"`);
    expect(await post("bland", body)).toMatchObject({ duplicate: true });
    expect(await leadsOf(t, slug)).toHaveLength(1);
  });

  test("a Vapi outage is retried within the run, reported, retried again with backoff, and recovers what it missed once Vapi is back", async () => {
    slug = await t.newBusiness((c) => {
      c.reconcile = { vapi: { apiKey: "vapi-key" }, every: "5m", lookBack: "2h" };
    });
    const vapi = fakeVapi(server, "vapi-key");
    vapi.calls.push(vapiCall("vapi-during-outage", downAt()));
    vapi.failNext(3, 503);

    await reconcileNow(t);
    // Three tries in the run, then the run is recorded as failed and nothing is lost.
    expect(vapi.requests).toHaveLength(3);
    expect(await leadsOf(t, slug)).toHaveLength(0);
    let s = (await status()).vapi;
    expect(s).toMatchObject({ errors: 1, recovered: 0, lastError: expect.stringContaining("503"), watermark: null });
    // The next try comes with backoff (5 s after the first failure), not after the whole interval.
    expect(Date.parse(s.nextRunAt) - t.clock.now().getTime()).toBe(5_000);

    // Still down at the second try: the backoff doubles.
    vapi.failNext(3, 429, { "retry-after": "0" });
    t.clock.advance(5_000);
    await reconcileNow(t);
    s = (await status()).vapi;
    expect(s).toMatchObject({ errors: 2, lastError: expect.stringContaining("429") });
    expect(Date.parse(s.nextRunAt) - t.clock.now().getTime()).toBe(10_000);

    t.clock.advance(10_000);
    await reconcileNow(t);
    expect((await leadsOf(t, slug)).map((l) => l.externalId)).toEqual(["vapi-during-outage"]);
    s = (await status()).vapi;
    expect(s).toMatchObject({ errors: 0, lastError: null, recovered: 1, totals: { runs: 3, errors: 2, recovered: 1 } });
    // Back on the `every` grid (the cron's, on Workers).
    expect(s.nextRunAt).toBe("2026-11-23T15:05:00.000Z");
  });

  test("on the Workers Cron Trigger the backstop starts a run and fires it in the same firing, and the next one falls on the cron's 5-minute grid", async () => {
    t.clock.set("2026-11-23T15:02:10Z");
    slug = await t.newBusiness((c) => {
      c.reconcile = { vapi: { apiKey: "vapi-key" }, every: "5m", lookBack: "2h" };
    });
    const vapi = fakeVapi(server, "vapi-key");
    vapi.calls.push(vapiCall("vapi-cron", downAt()));
    // What src/worker.ts `scheduled` does without QStash: the backstop fires everything due.
    await runBackstop(t.deps, { graceMs: 0 });
    await t.settle();
    expect((await leadsOf(t, slug)).map((l) => l.externalId)).toEqual(["vapi-cron"]);
    expect((await status()).vapi.nextRunAt).toBe("2026-11-23T15:05:00.000Z");
  });

  test("a provider without a key is off, said so, and never asked", async () => {
    slug = await t.newBusiness((c) => {
      c.reconcile = { every: "5m", lookBack: "2h" };
    });
    await reconcileNow(t);
    const s = await status();
    expect(s.vapi).toMatchObject({ enabled: false, off: expect.stringContaining("VAPI_API_KEY"), lastRunAt: null });
    expect(s.twilio).toMatchObject({ enabled: false, off: expect.stringContaining("reconcile.twilio") });
    expect((await t.call("GET", "/api/reconciliation?business=nobody")).status).toBe(404);
  });

  test("the API keys are masked when read back and kept when the mask is sent again", async () => {
    slug = await t.newBusiness((c) => {
      c.reconcile = { vapi: { apiKey: "vapi-secret-key", baseUrl: "https://vapi.proxy.example" } };
    });
    const read = await t.call("GET", `/api/businesses/${slug}`);
    expect(read.body.config.reconcile.vapi).toEqual({ apiKey: "********", baseUrl: "https://vapi.proxy.example" });
    expect(JSON.stringify(read.body)).not.toContain("vapi-secret-key");
    const again = await t.call("PUT", `/api/businesses/${slug}`, { ...read.body.config, name: "Renamed" });
    expect(again.status).toBe(200);
    const vapi = fakeVapi(server, "vapi-secret-key", "https://vapi.proxy.example");
    await reconcileNow(t);
    expect(vapi.requests).toHaveLength(1);
  });
});
