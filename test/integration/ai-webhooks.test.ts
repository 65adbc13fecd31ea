import { count, eq } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { inboundEvents, leads, webhookRejections } from "../../src/db/schema/index.ts";
import { ANALYSIS_GRACE_MS, processInbound } from "../../src/intake/process-intake.ts";
import { leadsOf as listLeads } from "../helpers/listings.ts";
import { fixture, signedHeaders, type AiProvider } from "../helpers/sign-fixture.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";

describeOnBackends("AI intake webhooks on $name", ({ kind }) => {
  let business: string;
  const t = useTestApp(kind);
  beforeEach(async () => void (business = await t.newBusiness()));

  const post = async (provider: AiProvider, body: string, headers?: Record<string, string>) => {
    const res = await t.app.request(`/webhooks/${business}/${provider}`, {
      method: "POST",
      body,
      headers: headers ?? (await signedHeaders(provider, body, t.clock.now())),
    });
    await t.settle();
    return { status: res.status, body: (await res.json()) as any };
  };
  const leadsOf = () => listLeads(t, business);
  const storedInbound = async () => (await t.deps.db.select({ n: count() }).from(inboundEvents))[0]!.n;

  test.each([
    ["vapi", "vapi/complete-call", { fullName: "Maria Gonzalez", phone: "+15125550142", serviceAddress: "4821 Burnet Road, Austin, TX 78756" }],
    ["retell", "retell/complete-call", { fullName: "Carlos Mendoza", phone: "+15125550131", serviceAddress: "915 West Mary Street, Austin, TX 78704" }],
    ["bland", "bland/complete-call", { fullName: "Emily Carter", phone: "+15125550151", serviceAddress: "2904 Manor Road, Austin, TX 78722" }],
  ] as const)("a complete %s call becomes an offered lead with an owner text", async (provider, name, expected) => {
    const res = await post(provider, fixture(name));
    expect(res.status).toBe(200);
    const [lead] = await leadsOf();
    expect(lead).toMatchObject({ ...expected, channel: provider, state: "offered", ownerId: "dana", missingFields: [] });
    expect(lead.fieldSources.fullName).toMatch(/^(extractor:heuristic|.*:structured)$/);
    const { body } = await t.call("GET", `/api/messages?lead=${lead.id}`);
    expect(body.messages).toMatchObject([{ purpose: "offer", to: "+15125550111", status: "dry-run" }]);
  });

  test("the same payload posted three times gives one lead and one owner text", async () => {
    const body = fixture("vapi/complete-call");
    const answers = [await post("vapi", body), await post("vapi", body), await post("vapi", body)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.slice(1).map((a) => a.body.duplicate)).toEqual([true, true]);
    const all = await leadsOf();
    expect(all).toHaveLength(1);
    const { body: sent } = await t.call("GET", `/api/messages?lead=${all[0].id}`);
    expect(sent.messages.filter((m: any) => m.purpose === "offer")).toHaveLength(1);
  });

  test("an emergency call goes to on-call at once by SMS and voice", async () => {
    await post("vapi", fixture("vapi/emergency-burst-pipe"));
    const [lead] = await leadsOf();
    expect(lead).toMatchObject({ state: "offered", ownerId: "dana", urgency: "active_loss" });
    const { body } = await t.call("GET", `/api/messages?lead=${lead.id}`);
    expect(body.messages.map((m: any) => m.channel).sort()).toEqual(["sms", "voice"]);
  });

  test("an incomplete record goes back to intake naming what is missing; PATCH completes and routes it", async () => {
    await post("intake", fixture("intake/web-form-complete"));
    const [lead] = await leadsOf();
    expect(lead).toMatchObject({ state: "intake", channel: "intake_api", source: "google_ads", missingFields: ["promisedNextStep"] });
    const { body } = await t.call("GET", `/api/messages?lead=${lead.id}`);
    expect(body.messages[0]).toMatchObject({ purpose: "incomplete", to: "+15125550115" });
    expect(body.messages[0].body).toContain("missing: next step");
    const patched = await t.call("PATCH", `/api/leads/${lead.id}`, { promisedNextStep: "Text to book a weekday morning" });
    expect(patched.body).toMatchObject({ state: "offered", ownerId: "dana" });
  });

  test("a call that never connected becomes a missed-call lead owned by a named member", async () => {
    await post("vapi", fixture("vapi/never-connected"));
    const [lead] = await leadsOf();
    expect(lead).toMatchObject({ source: "missed_call", state: "offered", ownerId: "ivy", phone: "+15125550177" });
  });

  test("other Vapi message types get 200 and are recorded as ignored", async () => {
    const res = await post("vapi", fixture("vapi/status-update"));
    expect(res).toMatchObject({ status: 200, body: { ok: true, ignored: expect.any(String) } });
    expect(await leadsOf()).toHaveLength(0);
    const rows = await t.deps.db.select().from(inboundEvents).where(eq(inboundEvents.provider, "vapi"));
    expect(rows.some((r) => r.status === "ignored")).toBe(true);
  });

  test("a Retell call_ended waits for call_analyzed, which supersedes it: one lead", async () => {
    const ended = await post("retell", fixture("retell/complete-call-ended"));
    expect(ended.status).toBe(200);
    expect(await leadsOf()).toHaveLength(0);
    await post("retell", fixture("retell/complete-call"));
    t.clock.advance(ANALYSIS_GRACE_MS + 1000);
    await processInbound(t.deps, ended.body.id);
    const all = await leadsOf();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ state: "offered", fullName: "Carlos Mendoza" });
    const [row] = await t.deps.db.select().from(inboundEvents).where(eq(inboundEvents.id, ended.body.id));
    expect(row!.status).toBe("superseded");
  });

  test("a Retell call_ended with no analysis after the grace period is used alone", async () => {
    const ended = await post("retell", fixture("retell/complete-call-ended"));
    t.clock.advance(ANALYSIS_GRACE_MS + 1000);
    await processInbound(t.deps, ended.body.id);
    const [lead] = await leadsOf();
    expect(lead).toMatchObject({ channel: "retell", phone: "+15125550131" });
  });

  describe("forged, malformed and oversized posts change nothing", () => {
    const body = () => fixture("bland/complete-call");
    test.each([
      ["missing signature", async () => ({ "content-type": "application/json" })],
      ["wrong key", async () => signedHeaders("bland", body(), t.clock.now(), "not-the-secret")],
      ["tampered body", async () => signedHeaders("bland", body().replace("Emily", "Emely"), t.clock.now())],
    ])("%s: 401, nothing stored but a counted rejection", async (_, headers) => {
      const before = await storedInbound();
      const res = await post("bland", body(), await headers());
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
      expect(await storedInbound()).toBe(before);
      expect(await leadsOf()).toHaveLength(0);
      const [rejections] = await t.deps.db.select().from(webhookRejections).where(eq(webhookRejections.business, business));
      expect(rejections!.count).toBeGreaterThanOrEqual(1);
    });

    test("a stale Retell signature is refused", async () => {
      const raw = fixture("retell/complete-call");
      const headers = await signedHeaders("retell", raw, new Date(t.clock.now().getTime() - 10 * 60_000));
      expect((await post("retell", raw, headers)).status).toBe(401);
    });

    test("malformed JSON gets 400 naming the problem", async () => {
      const raw = "{ not json";
      const res = await post("vapi", raw, await signedHeaders("vapi", raw, t.clock.now()));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/JSON/);
    });

    test("a payload without the call id gets 400 saying so", async () => {
      const raw = JSON.stringify({ message: { type: "end-of-call-report", call: {} } });
      const res = await post("vapi", raw, await signedHeaders("vapi", raw, t.clock.now()));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain("call.id");
    });

    test("a body over 1 MiB gets 413", async () => {
      const raw = JSON.stringify({ externalId: "big", transcript: "x".repeat(1024 * 1024) });
      expect((await post("intake", raw, await signedHeaders("intake", raw, t.clock.now()))).status).toBe(413);
    });

    test("an unknown business gets 404", async () => {
      const raw = fixture("vapi/complete-call");
      const res = await t.app.request("/webhooks/nobody/vapi", { method: "POST", body: raw, headers: await signedHeaders("vapi", raw, t.clock.now()) });
      expect(res.status).toBe(404);
    });
  });

  test("a business without its own secret is verified with the environment's", async () => {
    business = await t.newBusiness((c) => (c.secrets = {}));
    const raw = fixture("vapi/complete-call");
    expect((await post("vapi", raw)).status).toBe(401); // no secret anywhere: refused
    t.deps.settings.secrets.vapi = "env-vapi-secret";
    try {
      expect((await post("vapi", raw, await signedHeaders("vapi", raw, t.clock.now(), "env-vapi-secret"))).status).toBe(200);
    } finally {
      delete t.deps.settings.secrets.vapi;
    }
    const rows = await t.deps.db.select({ n: count() }).from(leads);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
