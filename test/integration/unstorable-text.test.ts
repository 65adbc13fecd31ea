import { beforeEach, expect, test } from "vitest";
import { inboundEvents } from "../../src/db/schema/index.ts";
import { leadsOf as listLeads } from "../helpers/listings.ts";
import { signedHeaders } from "../helpers/sign-fixture.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";
import { JANE, postTwilio, sms } from "../helpers/twilio.ts";

// PostgreSQL stores no U+0000 in text or jsonb and no lone surrogate in jsonb. A signed webhook
// carrying one must still become a lead (a 400 to Twilio loses the text); the API says 400.
describeOnBackends("text PostgreSQL cannot store, on $name", ({ kind }) => {
  let business: string;
  const t = useTestApp(kind);
  beforeEach(async () => void (business = await t.newBusiness()));
  const leadsOf = () => listLeads(t, business);

  test.each([
    ["a NUL", "Jane\u0000 Doe", "Jane Doe"],
    ["a lone surrogate", "Jane \ud800Doe", "Jane \ufffdDoe"],
  ])("a signed intake with %s in a field is acknowledged and becomes a lead", async (_, name, stored) => {
    const body = JSON.stringify({
      externalId: "wf-nul-1",
      fields: { ...completeLead({ business: undefined, fullName: name }), summaryNotes: "Leak\u0000 under the sink" },
      transcript: "Caller: hi\u0000 there",
    });
    const res = await t.app.request(`/webhooks/${business}/intake`, { method: "POST", body, headers: await signedHeaders("intake", body, t.clock.now()) });
    expect(res.status).toBe(200);
    await t.settle();
    const [lead] = await leadsOf();
    expect(lead).toMatchObject({ fullName: stored, summaryNotes: "Leak under the sink", state: "offered" });
  });

  test("an SMS whose Body has %00 is acknowledged and joins the caller's lead", async () => {
    const res = await postTwilio(t, business, "sms", sms(JANE, "my address is 12\u0000 Elm St"));
    expect(res.status).toBe(200);
    await t.settle();
    const [lead] = await leadsOf();
    expect(lead.phone).toBe(JANE);
    expect(JSON.stringify(lead)).not.toContain("\\u0000");
  });

  test("a literal NUL byte in a signed JSON body is kept and answered 400 as malformed, not 500", async () => {
    const body = `{"externalId":"x","transcript":"a\u0000b"}`.replace("\\u0000", "\u0000");
    const res = await t.app.request(`/webhooks/${business}/intake`, { method: "POST", body, headers: await signedHeaders("intake", body, t.clock.now()) });
    expect(res.status).toBe(400);
    const stored = await t.deps.db.select({ raw: inboundEvents.rawBody, status: inboundEvents.status }).from(inboundEvents);
    expect(stored.filter((r) => r.status === "malformed" && r.raw.includes("a\\u0000b"))).toHaveLength(1);
  });

  test.each([
    ["POST /api/leads", "POST", "/api/leads", () => completeLead({ business, summaryNotes: "a\u0000b" }), "summaryNotes"],
    ["POST /api/leads, nested key", "POST", "/api/leads", () => ({ ...completeLead({ business }), ["bad\u0000key"]: 1 }), "badkey"],
    ["PUT /api/businesses", "PUT", "/api/businesses/x", () => ({ slug: "x", name: "X\u0000" }), "name"],
  ])("%s with a NUL answers 400 naming the field and stores nothing", async (_, method, path, body, field) => {
    const before = (await leadsOf()).length;
    const res = await t.call(method, path, body());
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await leadsOf()).toHaveLength(before);
  });

  test.each([
    ["a query value", "/api/leads?business=a%00b", 400],
    ["a lead id", "/api/leads/a%00b", 400],
    ["a business slug", "/api/businesses/a%00b", 400],
    ["a review's business", "/api/reviews/end-of-day?business=%00", 400],
  ])("%s with a NUL is a 4xx, never a 500", async (_, path, status) => {
    expect((await t.call("GET", path)).status).toBe(status);
  });

  test("a body nested ten thousand levels deep is 400 at the API and at a signed webhook, not 500", async () => {
    const body = "[".repeat(10_000) + "]".repeat(10_000);
    const api = await t.call("POST", "/api/leads", body);
    expect(api.status).toBe(400);
    expect(api.body.error.message).toMatch(/deeper than 64 levels/);
    const hook = await t.app.request(`/webhooks/${business}/intake`, { method: "POST", body, headers: await signedHeaders("intake", body, t.clock.now()) });
    expect(hook.status).toBe(400);
    const config = '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000);
    expect((await t.call("PUT", `/api/businesses/${business}`, config)).status).toBe(400);
  });

  test("a webhook to a slug with a NUL is 404", async () => {
    const res = await t.app.request(`/webhooks/a%00b/vapi`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });

  test("a manual lead field over 10,000 characters is refused naming it; a webhook's is cut", async () => {
    const long = "word ".repeat(4_000);
    const refused = await t.call("POST", "/api/leads", completeLead({ business, summaryNotes: long }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe("summaryNotes");

    const body = JSON.stringify({ externalId: "wf-long", fields: { ...completeLead({ business: undefined }), summaryNotes: long } });
    await t.app.request(`/webhooks/${business}/intake`, { method: "POST", body, headers: await signedHeaders("intake", body, t.clock.now()) });
    await t.settle();
    const [lead] = await leadsOf();
    expect(lead.summaryNotes.length).toBeLessThanOrEqual(10_000);
    expect(lead.summaryNotes).toMatch(/^word word/);
  });
});
