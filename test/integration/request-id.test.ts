import { beforeAll, expect, test } from "vitest";
import type { Logger } from "../../src/adapters/logger.ts";
import { MAX_BODY_BYTES } from "../../src/app.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { ADMIN_TOKEN, completeLead } from "../helpers/test-app.ts";

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const json = { ...auth, "content-type": "application/json" };

describeOnBackends("request ids on $name", ({ kind }) => {
  const logged: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    info: (message, fields) => logged.push({ level: "info", message, fields }),
    warn: (message, fields) => logged.push({ level: "warn", message, fields }),
    error: (message, fields) => logged.push({ level: "error", message, fields }),
  };
  // A clock that can be made to fail, to reach the "unhandled error" path through a real route.
  let clockFails = false;
  let leadId: string;
  const t = useTestApp(kind, { deps: { logger } });
  beforeAll(async () => {
    const realNow = t.clock.now.bind(t.clock);
    t.deps.clock.now = () => {
      if (clockFails) throw new Error("clock exploded");
      return realNow();
    };
    leadId = (await t.call("POST", "/api/leads", completeLead())).body.id;
  });

  // One request for every way an answer can be an error: the edge (auth, JSON, size, route) and
  // the domain (unknown lead, not offered, reason required, illegal transition).
  const failures: [string, () => [string, RequestInit], number, string][] = [
    ["no token", () => ["/api/leads", {}], 401, "unauthorized"],
    ["an unknown route", () => ["/nope", {}], 404, "not_found"],
    ["a body that is not JSON", () => ["/api/leads", { method: "POST", headers: json, body: "{nope" }], 400, "bad_request"],
    ["a body over the limit", () => ["/api/leads", { method: "POST", headers: json, body: "x".repeat(MAX_BODY_BYTES + 1) }], 413, "payload_too_large"],
    ["an unknown lead", () => ["/api/leads/00000000-0000-4000-8000-000000000000", { headers: auth }], 404, "not_found"],
    ["an accept by a member it is not offered to", () => [`/api/leads/${leadId}/accept`, { method: "POST", headers: json, body: '{"memberId":"sam"}' }], 403, "forbidden"],
    ["a reject without a reason", () => [`/api/leads/${leadId}/reject`, { method: "POST", headers: json, body: '{"memberId":"dana"}' }], 400, "validation_failed"],
    ["an accept by a member not on the team", () => [`/api/leads/${leadId}/accept`, { method: "POST", headers: json, body: '{"memberId":"nobody"}' }], 404, "not_found"],
  ];

  test.each(failures)("%s: the error body carries the request id the header answers", async (_, request, status, code) => {
    const [path, init] = request();
    const res = await t.app.request(path, init);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-request-id")).toBe(body.error.requestId);
  });

  test("an illegal transition (accept a closed lead) carries it too, beside its details", async () => {
    const closed = (await t.call("POST", "/api/leads", completeLead({ phone: "+15125550199" }))).body;
    expect((await t.call("POST", `/api/leads/${closed.id}/close`, { outcome: "spam" })).status).toBe(200);
    const res = await t.app.request(`/api/leads/${closed.id}/accept`, { method: "POST", headers: { ...json, "x-request-id": "trace-409" }, body: '{"memberId":"dana"}' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: "illegal_transition", message: expect.stringContaining("Cannot accept"), details: { state: "closed", verb: "accept" }, requestId: "trace-409" },
    });
  });

  test("a sane incoming X-Request-Id is echoed, on errors and on successes", async () => {
    const failed = await t.app.request("/api/leads", { headers: { "x-request-id": "edge-01.abc_DEF-9" } });
    expect(failed.headers.get("x-request-id")).toBe("edge-01.abc_DEF-9");
    expect(((await failed.json()) as any).error.requestId).toBe("edge-01.abc_DEF-9");
    const ok = await t.app.request("/api/leads", { headers: { ...auth, "x-request-id": "a".repeat(100) } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-request-id")).toBe("a".repeat(100));
    const health = await t.app.request("/healthz");
    expect(health.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test.each([
    ["too long", "a".repeat(101)],
    ["with a space", "two words"],
    ["with a slash", "a/b"],
    ["with a non-ASCII letter", "caf\u00e9"],
  ])("an incoming id %s is replaced by a generated one", async (_, incoming) => {
    const res = await t.app.request("/nope", { headers: { "x-request-id": incoming } });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as any).error.requestId).toBe(id);
  });

  test("an unhandled error's 500 body and its log line name the same request id", async () => {
    logged.length = 0;
    clockFails = true;
    try {
      const res = await t.app.request("/api/leads", { method: "POST", headers: { ...json, "x-request-id": "trace-500" }, body: JSON.stringify(completeLead({ phone: "+15125550142" })) });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: { code: "internal", message: "Something went wrong; it was logged.", requestId: "trace-500" } });
    } finally {
      clockFails = false;
    }
    const line = logged.find((l) => l.message === "unhandled error");
    expect(line?.fields).toMatchObject({ requestId: "trace-500", error: expect.stringContaining("clock exploded") });
  });
});
