import { beforeEach, expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";

/** CONTRACT §8: wherever a route takes a lead id it also takes `business:code`, e.g. `acme:1042`. */
describeOnBackends("lead references on $name", ({ kind }) => {
  let business: string;
  let lead: { id: string; code: number };
  const t = useTestApp(kind);
  beforeEach(async () => {
    business = await t.newBusiness();
    t.clock.set("2026-11-23T15:00:00Z");
    lead = (await t.call("POST", "/api/leads", completeLead({ business }))).body;
    await t.settle();
  });

  test("GET /api/leads/acme:1001 is the same lead as its UUID, also percent-encoded", async () => {
    const byId = await t.call("GET", `/api/leads/${lead.id}`);
    const byRef = await t.call("GET", `/api/leads/${business}:1001`);
    const encoded = await t.call("GET", `/api/leads/${business}%3A1001`);
    expect(byRef.status).toBe(200);
    expect(byRef.body).toEqual(byId.body);
    expect(encoded.body.id).toBe(lead.id);
  });

  test("the verbs and PATCH take the business and code", async () => {
    const patched = await t.call("PATCH", `/api/leads/${business}:1001`, { market: "Austin" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: lead.id, market: "Austin" });
    const accepted = await t.call("POST", `/api/leads/${business}:1001/accept`, { memberId: "dana" });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ id: lead.id, state: "accepted" });
    const closed = await t.call("POST", `/api/leads/${business}:1001/close`, { outcome: "booked" });
    expect(closed.body).toMatchObject({ id: lead.id, state: "closed" });
  });

  test("GET /api/messages?lead=acme:1001 lists that lead's messages only", async () => {
    await t.call("POST", "/api/leads", completeLead({ business, phone: "+15125550177" }));
    await t.settle();
    const byId = await t.call("GET", `/api/messages?lead=${lead.id}`);
    const byRef = await t.call("GET", `/api/messages?lead=${business}:1001`);
    expect(byRef.status).toBe(200);
    expect(byRef.body.messages.length).toBeGreaterThan(0);
    expect(byRef.body.messages).toEqual(byId.body.messages);
    expect(byRef.body.messages.every((m: any) => m.leadId === lead.id)).toBe(true);
  });

  test("a code of another business is not this business's lead", async () => {
    const other = await t.newBusiness();
    expect((await t.call("GET", `/api/leads/${other}:1001`)).status).toBe(404);
    await t.call("POST", "/api/leads", completeLead({ business: other }));
    const theirs = await t.call("GET", `/api/leads/${other}:1001`);
    expect(theirs.body).toMatchObject({ business: other, code: 1001 });
    expect(theirs.body.id).not.toBe(lead.id);
  });

  test.each([
    ["an unknown business", "nope:1001", /No business "nope"/],
    ["an unknown code", "BUSINESS:9999", /No lead BUSINESS:9999/],
    ["a code beyond any lead", "BUSINESS:99999999999", /No lead BUSINESS:99999999999/],
  ])("%s is 404 naming it", async (_what, ref, message) => {
    const r = ref.replace("BUSINESS", business);
    for (const path of [`/api/leads/${r}`, `/api/messages?lead=${r}`]) {
      const res = await t.call("GET", path);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: "not_found", message: expect.stringMatching(new RegExp(message.source.replace("BUSINESS", business))) });
    }
    const accept = await t.call("POST", `/api/leads/${r}/accept`, { memberId: "dana" });
    expect(accept.status).toBe(404);
  });

  test.each(["acme:", ":1001", "acme:10x1", "acme:1001:2", "Acme Plumbing:1001", "acme:-1", "acme:0", "1001", "not-a-uuid"])(
    "a malformed reference %j is 400 saying what a reference looks like",
    async (ref) => {
      for (const path of [`/api/leads/${encodeURIComponent(ref)}`, `/api/messages?lead=${encodeURIComponent(ref)}`]) {
        const res = await t.call("GET", path);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("validation_failed");
        expect(JSON.stringify(res.body.error.details)).toContain("acme:1042");
      }
      expect((await t.call("PATCH", `/api/leads/${encodeURIComponent(ref)}`, { market: "Austin" })).status).toBe(400);
    },
  );
});
