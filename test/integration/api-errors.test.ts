import { expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { ADMIN_TOKEN, completeLead } from "../helpers/test-app.ts";

describeOnBackends("API errors and businesses on $name", ({ kind }) => {
  const t = useTestApp(kind);

  test("the API needs the admin token; /healthz does not", async () => {
    expect((await t.app.request("/healthz")).status).toBe(200);
    const none = await t.app.request("/api/leads");
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.code).toBe("unauthorized");
    expect((await t.app.request("/api/leads", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await t.app.request("/api/leads", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });

  test.each([
    ["an empty Bearer", "Bearer "],
    ["a bare scheme", "Bearer"],
    ["another scheme", `Basic ${ADMIN_TOKEN}`],
    ["a token with spaces in it", `Bearer ${ADMIN_TOKEN} extra`],
  ])("%s is 401 with the error shape, like a wrong token", async (_, authorization) => {
    const res = await t.app.request("/api/leads", { headers: { authorization } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.code).toBe("unauthorized");
  });

  test("listing leads or messages of an unknown business is 404", async () => {
    for (const path of ["/api/leads?business=nope", "/api/messages?business=nope"]) {
      const res = await t.call("GET", path);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: "not_found", message: expect.stringContaining("nope") });
    }
  });

  test("malformed JSON gets 400 naming the problem", async () => {
    const res = await t.call("POST", "/api/leads", "{not json");
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "bad_request", message: expect.stringMatching(/not valid JSON/) });
  });

  test("invalid fields get 400 with each problem by path, and nothing is stored", async () => {
    const res = await t.call("POST", "/api/leads", completeLead({ phone: "call me", urgency: "asap", fullname: "typo" }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const paths = res.body.error.details.map((d: any) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["phone", "urgency", "(root)"]));
    expect(res.body.error.details.find((d: any) => d.path === "(root)").message).toContain("fullname");
    expect((await t.call("GET", "/api/leads")).body.leads).toHaveLength(0);
  });

  test("unknown business, unknown lead and a malformed id are told apart", async () => {
    expect((await t.call("POST", "/api/leads", completeLead({ business: "nope" }))).status).toBe(404);
    expect((await t.call("GET", "/api/leads/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await t.call("GET", "/api/leads/1001")).status).toBe(400);
    expect((await t.call("GET", "/api/nothing-here")).status).toBe(404);
  });

  test("bodies over 1 MiB get 413", async () => {
    const res = await t.call("POST", "/api/leads", completeLead({ summaryNotes: "x".repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  test("a business config is applied as a new version and every version is kept", async () => {
    const { body: current } = await t.call("GET", "/api/businesses/acme");
    expect(current).toMatchObject({ slug: "acme", version: 1 });
    expect(current.config.secrets.vapi).toBe("********");
    const next = { ...current.config, name: "Acme Plumbing, Heating & Air" };
    const put = await t.call("PUT", "/api/businesses/acme", next);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, changed: true });
    const { body: after } = await t.call("GET", "/api/businesses/acme");
    expect(after.versions.map((v: any) => v.version)).toEqual([2, 1]);
    const [row] = await t.deps.db.query.businesses.findMany();
    expect(row!.config.secrets.vapi).toBe("demo-vapi-secret"); // masked secrets read back are kept, not overwritten
  });

  test("a bad config is refused whole with every problem listed; the old version stays", async () => {
    const { body: current } = await t.call("GET", "/api/businesses/acme");
    const bad = { ...current.config, timezone: "Nowhere/Special", team: [{ id: "x", name: "", phone: "123", roles: [] }] };
    const res = await t.call("PUT", "/api/businesses/acme", bad);
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: any) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["timezone", "team.0.name", "team.0.phone", "team.0.roles"]));
    expect((await t.call("GET", "/api/businesses/acme")).body.version).toBe(current.version);
  });

  test("a new business is created with PUT and its slug must match the URL", async () => {
    const { body: acme } = await t.call("GET", "/api/businesses/acme");
    const other = { ...acme.config, slug: "bolt", name: "Bolt Electric", secrets: {} };
    expect((await t.call("PUT", "/api/businesses/other", other)).status).toBe(400);
    const created = await t.call("PUT", "/api/businesses/bolt", other);
    expect(created.status).toBe(201);
    const lead = await t.call("POST", "/api/leads", completeLead({ business: "bolt" }));
    expect(lead.body).toMatchObject({ business: "bolt", code: 1001 });
  });
});
