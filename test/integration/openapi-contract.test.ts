import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, onTestFinished, test } from "vitest";
import { eq } from "drizzle-orm";
import { createApp } from "../../src/app.ts";
import { eventDeliveries } from "../../src/db/schema/index.ts";
import type { DbHandle } from "../../src/db/client.ts";
import { connectPostgres } from "../../src/db/postgres.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { problemsOf, responseSchema, type OpenApiDoc } from "../helpers/openapi-check.ts";
import { ADMIN_TOKEN, completeLead, type TestApp } from "../helpers/test-app.ts";

/** How a case sends its last request: to the real app with the token, without it, or to an app whose database is down. */
type Send = (method: string, path: string, body?: unknown) => Promise<Response>;
type Driver = (t: TestApp, send: Send) => Promise<Response>;

const OVER_1_MIB = { business: "acme", summaryNotes: "x".repeat(1024 * 1024 + 10) };
let phones = 0;
/** A distinct caller, so each case's lead is its own (one caller's open lead is updated, not duplicated). */
const newPhone = () => `+1512555${String(1000 + ++phones).padStart(4, "0")}`;

async function offeredLead(t: TestApp) {
  const res = await t.call("POST", "/api/leads", completeLead({ phone: newPhone() }));
  expect(res.body.state).toBe("offered");
  return { ref: `acme:${res.body.code}`, offeredTo: res.body.offeredTo[0] as string };
}
async function acceptedLead(t: TestApp) {
  const lead = await offeredLead(t);
  expect((await t.call("POST", `/api/leads/${lead.ref}/accept`, { memberId: lead.offeredTo })).status).toBe(200);
  return lead;
}
async function closedLead(t: TestApp) {
  const lead = await offeredLead(t);
  expect((await t.call("POST", `/api/leads/${lead.ref}/close`, { outcome: "spam" })).status).toBe(200);
  return lead;
}
async function intakeLead(t: TestApp) {
  const res = await t.call("POST", "/api/leads", completeLead({ phone: newPhone(), serviceAddress: undefined }));
  expect(res.body.state).toBe("intake");
  return `acme:${res.body.code}`;
}
/** A delivery to a port nothing listens on: its first attempt is refused and it waits, pending, for its retry. */
async function pendingDelivery(t: TestApp) {
  const slug = await t.newBusiness((c: any) => {
    c.webhooks = [{ id: "nobody-home", url: "http://127.0.0.1:9/hooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", events: ["lead.created"] }];
  });
  expect((await t.call("POST", "/api/leads", completeLead({ business: slug, phone: newPhone() }))).status).toBe(201);
  await t.settle();
  const page = await t.call("GET", `/api/deliveries?business=${slug}`);
  expect(page.body.deliveries).toHaveLength(1);
  return page.body.deliveries[0].id as string;
}
const QA_ANSWERS = { ownerCorrect: "yes", notesSufficient: "no", waitedTooLong: "unsure", customerRepeated: "no", outcomeMatched: "yes" };
const notOffered = (offeredTo: string) => (offeredTo === "sam" ? "omar" : "sam");
const config = (slug: string) => ({ ...demoInput(), slug });
const ON_CALL = { id: "on-call", role: "on_call", rotation: { every: "1w", handoff: "mon 08:00", members: ["dana", "omar"] } };

/**
 * Every documented answer of every operation, each made to happen for real. 401 and 503 are
 * driven for every operation from its success case (without the token; on a database that is
 * down), so they are not listed.
 */
const CASES: Record<string, Record<number, Driver>> = {
  "GET /api/leads": {
    200: (_, send) => send("GET", "/api/leads?business=acme&limit=2"),
    400: (_, send) => send("GET", "/api/leads?state=nope"),
    404: (_, send) => send("GET", "/api/leads?business=nope"),
  },
  "GET /api/leads/{id}": {
    200: async (t, send) => send("GET", `/api/leads/${(await offeredLead(t)).ref}`),
    400: (_, send) => send("GET", "/api/leads/not-a-lead"),
    404: (_, send) => send("GET", "/api/leads/acme:99999"),
  },
  "POST /api/leads": {
    201: (_, send) => send("POST", "/api/leads", completeLead({ phone: newPhone() })),
    200: async (t, send) => {
      const lead = completeLead({ phone: newPhone() });
      expect((await t.call("POST", "/api/leads", lead)).status).toBe(201);
      return send("POST", "/api/leads", { ...lead, summaryNotes: "Also the bathroom tap drips" });
    },
    400: (_, send) => send("POST", "/api/leads", completeLead({ phone: "call me maybe" })),
    404: (_, send) => send("POST", "/api/leads", completeLead({ business: "nope" })),
    413: (_, send) => send("POST", "/api/leads", OVER_1_MIB),
  },
  "PATCH /api/leads/{id}": {
    200: async (t, send) => send("PATCH", `/api/leads/${await intakeLead(t)}`, { serviceAddress: "9 Oak St, Austin TX 78702" }),
    400: async (t, send) => send("PATCH", `/api/leads/${await intakeLead(t)}`, {}),
    404: (_, send) => send("PATCH", "/api/leads/acme:99999", { market: "Austin" }),
    409: async (t, send) => send("PATCH", `/api/leads/${(await closedLead(t)).ref}`, { market: "Austin" }),
    413: (_, send) => send("PATCH", "/api/leads/acme:1", OVER_1_MIB),
  },
  "POST /api/leads/{id}/accept": {
    200: async (t, send) => {
      const lead = await offeredLead(t);
      return send("POST", `/api/leads/${lead.ref}/accept`, { memberId: lead.offeredTo });
    },
    400: async (t, send) => send("POST", `/api/leads/${(await offeredLead(t)).ref}/accept`, {}),
    403: async (t, send) => {
      const lead = await offeredLead(t);
      return send("POST", `/api/leads/${lead.ref}/accept`, { memberId: notOffered(lead.offeredTo) });
    },
    404: (_, send) => send("POST", "/api/leads/acme:99999/accept", { memberId: "dana" }),
    409: async (t, send) => send("POST", `/api/leads/${(await closedLead(t)).ref}/accept`, { memberId: "dana" }),
    413: (_, send) => send("POST", "/api/leads/acme:1/accept", OVER_1_MIB),
  },
  "POST /api/leads/{id}/reject": {
    200: async (t, send) => {
      const lead = await offeredLead(t);
      return send("POST", `/api/leads/${lead.ref}/reject`, { memberId: lead.offeredTo, reason: "no truck nearby" });
    },
    400: async (t, send) => {
      const lead = await offeredLead(t);
      return send("POST", `/api/leads/${lead.ref}/reject`, { memberId: lead.offeredTo });
    },
    403: async (t, send) => {
      const lead = await offeredLead(t);
      return send("POST", `/api/leads/${lead.ref}/reject`, { memberId: notOffered(lead.offeredTo), reason: "busy" });
    },
    404: (_, send) => send("POST", "/api/leads/acme:99999/reject", { memberId: "dana", reason: "busy" }),
    409: async (t, send) => {
      const lead = await acceptedLead(t);
      return send("POST", `/api/leads/${lead.ref}/reject`, { memberId: lead.offeredTo, reason: "changed my mind" });
    },
    413: (_, send) => send("POST", "/api/leads/acme:1/reject", OVER_1_MIB),
  },
  "POST /api/leads/{id}/reassign": {
    200: async (t, send) => {
      const lead = await acceptedLead(t);
      return send("POST", `/api/leads/${lead.ref}/reassign`, { memberId: notOffered(lead.offeredTo), reason: "closer to the job" });
    },
    400: async (t, send) => send("POST", `/api/leads/${(await acceptedLead(t)).ref}/reassign`, { memberId: "sam" }),
    404: async (t, send) => send("POST", `/api/leads/${(await acceptedLead(t)).ref}/reassign`, { memberId: "nobody", reason: "x" }),
    409: async (t, send) => send("POST", `/api/leads/${(await closedLead(t)).ref}/reassign`, { memberId: "sam", reason: "x" }),
    413: (_, send) => send("POST", "/api/leads/acme:1/reassign", OVER_1_MIB),
  },
  "POST /api/leads/{id}/close": {
    200: async (t, send) => send("POST", `/api/leads/${(await acceptedLead(t)).ref}/close`, { outcome: "booked" }),
    400: async (t, send) => send("POST", `/api/leads/${(await acceptedLead(t)).ref}/close`, { outcome: "maybe" }),
    404: (_, send) => send("POST", "/api/leads/acme:99999/close", { outcome: "booked" }),
    409: async (t, send) => send("POST", `/api/leads/${(await closedLead(t)).ref}/close`, { outcome: "booked" }),
    413: (_, send) => send("POST", "/api/leads/acme:1/close", OVER_1_MIB),
  },
  "POST /api/leads/{id}/next-action": {
    200: async (t, send) =>
      send("POST", `/api/leads/${(await acceptedLead(t)).ref}/next-action`, { memberId: "dana", action: "call to book", dueAt: "2030-01-15T09:00:00-06:00" }),
    400: async (t, send) => send("POST", `/api/leads/${(await acceptedLead(t)).ref}/next-action`, { action: "call to book" }),
    404: (_, send) => send("POST", "/api/leads/acme:99999/next-action", { action: "call", dueAt: "2030-01-15T09:00:00-06:00" }),
    409: async (t, send) => send("POST", `/api/leads/${(await offeredLead(t)).ref}/next-action`, { action: "call", dueAt: "2030-01-15T09:00:00-06:00" }),
    413: (_, send) => send("POST", "/api/leads/acme:1/next-action", OVER_1_MIB),
  },
  "POST /api/leads/{id}/notes": {
    200: async (t, send) => send("POST", `/api/leads/${(await acceptedLead(t)).ref}/notes`, { memberId: "dana", text: "gate code 4411" }),
    400: async (t, send) => send("POST", `/api/leads/${(await acceptedLead(t)).ref}/notes`, { text: "" }),
    404: (_, send) => send("POST", "/api/leads/acme:99999/notes", { text: "hello" }),
    409: async (t, send) => send("POST", `/api/leads/${(await closedLead(t)).ref}/notes`, { text: "too late" }),
    413: (_, send) => send("POST", "/api/leads/acme:1/notes", OVER_1_MIB),
  },
  "GET /api/messages": {
    200: async (t, send) => send("GET", `/api/messages?lead=${(await offeredLead(t)).ref}`),
    400: (_, send) => send("GET", "/api/messages?cursor=not-a-cursor"),
    404: (_, send) => send("GET", "/api/messages?business=nope"),
  },
  "GET /api/deliveries": {
    200: async (t, send) => {
      await pendingDelivery(t);
      return send("GET", "/api/deliveries?status=pending&limit=5");
    },
    400: (_, send) => send("GET", "/api/deliveries?status=lost"),
    404: (_, send) => send("GET", "/api/deliveries?business=nope"),
  },
  "POST /api/deliveries/{id}/retry": {
    200: async (t, send) => send("POST", `/api/deliveries/${await pendingDelivery(t)}/retry`),
    400: (_, send) => send("POST", "/api/deliveries/not-a-uuid/retry"),
    404: (_, send) => send("POST", "/api/deliveries/00000000-0000-4000-8000-000000000000/retry"),
    409: async (t, send) => {
      const id = await pendingDelivery(t);
      // As if another worker held it mid-attempt.
      await t.deps.db.update(eventDeliveries).set({ lockedUntil: new Date(t.clock.now().getTime() + 60_000) }).where(eq(eventDeliveries.id, id));
      return send("POST", `/api/deliveries/${id}/retry`);
    },
  },
  "PUT /api/businesses/{slug}": {
    201: (_, send) => send("PUT", `/api/businesses/oapi-${++phones}`, config(`oapi-${phones}`)),
    200: (_, send) => send("PUT", "/api/businesses/acme", config("acme")),
    400: (_, send) => send("PUT", "/api/businesses/acme", { ...config("acme"), timezone: "Mars/Olympus" }),
    413: (_, send) => send("PUT", "/api/businesses/acme", OVER_1_MIB),
  },
  "GET /api/businesses/{slug}": {
    200: (_, send) => send("GET", "/api/businesses/acme"),
    404: (_, send) => send("GET", "/api/businesses/nope"),
  },
  "GET /api/reviews/end-of-day": {
    200: (_, send) => send("GET", "/api/reviews/end-of-day?business=acme"),
    400: (_, send) => send("GET", "/api/reviews/end-of-day?business=acme&date=tomorrow"),
    404: (_, send) => send("GET", "/api/reviews/end-of-day?business=nope"),
  },
  "GET /api/businesses/{slug}/on-call": {
    200: (_, send) => send("GET", "/api/businesses/acme/on-call?at=2026-11-24T02:00:00-06:00"),
    400: (_, send) => send("GET", "/api/businesses/acme/on-call?at=tonight"),
    404: (_, send) => send("GET", "/api/businesses/nope/on-call"),
  },
  "GET /api/businesses/{slug}/schedules/{id}.ics": {
    200: async (t, send) => {
      await t.call("PUT", "/api/businesses/oncall-oapi", { ...config("oncall-oapi"), schedules: [ON_CALL] });
      return send("GET", "/api/businesses/oncall-oapi/schedules/on-call.ics");
    },
    404: (_, send) => send("GET", "/api/businesses/acme/schedules/nope.ics"),
  },
  "GET /api/qa": {
    200: async (t, send) => {
      await offeredLead(t);
      return send("GET", "/api/qa?business=acme");
    },
    400: (_, send) => send("GET", "/api/qa?business=acme&week=2026-W99"),
    404: (_, send) => send("GET", "/api/qa?business=nope"),
  },
  "POST /api/qa/{leadId}": {
    200: async (t, send) => {
      const lead = await offeredLead(t);
      const { week } = (await t.call("GET", "/api/qa?business=acme")).body;
      return send("POST", `/api/qa/${lead.ref}`, { week, reviewer: "mia", answers: QA_ANSWERS, note: "fine" });
    },
    400: async (t, send) => send("POST", `/api/qa/${(await offeredLead(t)).ref}`, { week: "2026-W49", reviewer: "mia" }),
    404: (_, send) => send("POST", "/api/qa/acme:99999", { week: "2026-W49", reviewer: "mia", answers: QA_ANSWERS }),
    409: async (t, send) => send("POST", `/api/qa/${await intakeLead(t)}`, { week: "2026-W49", reviewer: "mia", answers: QA_ANSWERS }),
    413: (_, send) => send("POST", "/api/qa/acme:1", OVER_1_MIB),
  },
  "GET /api/qa/summary": {
    200: (_, send) => send("GET", "/api/qa/summary?business=acme&weeks=2"),
    400: (_, send) => send("GET", "/api/qa/summary?business=acme&weeks=0"),
    404: (_, send) => send("GET", "/api/qa/summary?business=nope"),
  },
  "GET /api/metrics": {
    200: async (t, send) => {
      await acceptedLead(t);
      return send("GET", "/api/metrics?business=acme");
    },
    400: (_, send) => send("GET", "/api/metrics?business=acme&from=someday"),
    404: (_, send) => send("GET", "/api/metrics?business=nope"),
  },
  "POST /api/businesses/{slug}/keys": {
    201: (_, send) => send("POST", "/api/businesses/acme/keys", { name: "CRM sync" }),
    400: (_, send) => send("POST", "/api/businesses/acme/keys", { name: "  " }),
    404: (_, send) => send("POST", "/api/businesses/nope/keys", { name: "CRM sync" }),
    409: async (t, send) => {
      const slug = await t.newBusiness(() => {});
      for (let i = 0; i < 50; i++) expect((await t.call("POST", `/api/businesses/${slug}/keys`, { name: `k${i}` })).status).toBe(201);
      return send("POST", `/api/businesses/${slug}/keys`, { name: "one too many" });
    },
    413: (_, send) => send("POST", "/api/businesses/acme/keys", OVER_1_MIB),
  },
  "GET /api/businesses/{slug}/keys": {
    200: async (t, send) => {
      expect((await t.call("POST", "/api/businesses/acme/keys", { name: "listed" })).status).toBe(201);
      return send("GET", "/api/businesses/acme/keys");
    },
    404: (_, send) => send("GET", "/api/businesses/nope/keys"),
  },
  "DELETE /api/businesses/{slug}/keys/{id}": {
    204: async (t, send) => send("DELETE", `/api/businesses/acme/keys/${(await t.call("POST", "/api/businesses/acme/keys", { name: "gone" })).body.id}`),
    400: (_, send) => send("DELETE", "/api/businesses/acme/keys/not-a-uuid"),
    404: (_, send) => send("DELETE", "/api/businesses/acme/keys/00000000-0000-4000-8000-000000000000"),
  },
  "GET /api/reconciliation": {
    200: (_, send) => send("GET", "/api/reconciliation?business=acme"),
    400: (_, send) => send("GET", "/api/reconciliation"),
    404: (_, send) => send("GET", "/api/reconciliation?business=nope"),
  },
};

/** What the reference routes serve besides the API; they are not operations of the document. */
const REFERENCE = ["/api/openapi.json", "/api/docs", "/api/docs/scalar.js"];

/** Sends with the operator's token (true), none (false), or the given token (an API key). */
const sender =
  (app: { request: TestApp["app"]["request"] }, token: boolean | string): Send =>
  (method, path, body) =>
    Promise.resolve(
      app.request(path, {
        method,
        headers: {
          ...(token && { authorization: `Bearer ${token === true ? ADMIN_TOKEN : token}` }),
          ...(body !== undefined && { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );

/** Driven on every operation from its success case, so not listed in CASES (403 may be, for a member's refusal). */
const AUTOMATIC = ["401", "403", "503"];
/**
 * What acme's key gets where a success case reaches past acme: another business's calendar
 * (named: 403) or its delivery (by id: 404, as if there were none).
 */
const KEY_ANSWER: Record<string, number> = {
  "GET /api/businesses/{slug}/schedules/{id}.ics": 403,
  "POST /api/deliveries/{id}/retry": 404,
};

describeOnBackends("the OpenAPI document on $name", ({ kind }) => {
  const t = useTestApp(kind);
  let doc: OpenApiDoc;
  let key: string | undefined;
  const acmeKey = async () => (key ??= (await t.call("POST", "/api/businesses/acme/keys", { name: "contract" })).body.key as string);
  beforeAll(async () => {
    const res = await t.app.request("/api/openapi.json");
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApiDoc;
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

  test("is served without a token and is a valid OpenAPI 3.1 document (independent validator)", async () => {
    const result = await new Validator().validate(structuredClone(doc) as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect((doc as unknown as { openapi: string }).openapi).toBe("3.1.0");
  });

  test("documents every mounted /api route, and every documented route is mounted", () => {
    const mounted = new Set(
      t.app.routes
        .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/") && !REFERENCE.includes(r.path))
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)\{[^}]*\\\.(\w+)\}/g, "{$1}.$2").replace(/:(\w+)/g, "{$1}")}`),
    );
    const documented = new Set(operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`));
    expect([...mounted].sort()).toEqual([...documented].sort());
    expect(mounted.size).toBeGreaterThanOrEqual(12);
  });

  test("every documented status of every operation has a case below, and no case is undocumented", () => {
    const documented = operations().flatMap(({ method, path, op }) =>
      Object.keys(op.responses).filter((s) => !AUTOMATIC.includes(s)).map((s) => `${method.toUpperCase()} ${path} ${s}`),
    );
    const cased = Object.entries(CASES).flatMap(([op, statuses]) => Object.keys(statuses).filter((s) => !AUTOMATIC.includes(s)).map((s) => `${op} ${s}`));
    expect(cased.sort()).toEqual(documented.sort());
    // …and 401, 403 and 503 are documented on every operation, since they are driven on every one.
    for (const { op } of operations()) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(AUTOMATIC));
    // Who may call it is written on every operation.
    for (const { op } of operations()) expect(["own-business", "operator"]).toContain(op["x-api-keys"]);
  });

  /** Sends the case, checks the status, and the body against the documented schema, undocumented keys included. */
  async function expectDocumented(op: string, status: number, res: Response) {
    const [method, path] = op.split(" ") as [string, string];
    const text = await res.text();
    expect(res.status, `${op}: ${text.slice(0, 400)}`).toBe(status);
    const documented = doc.paths[path]![method.toLowerCase()].responses[String(status)];
    expect(documented, `${op} documents ${status}`).toBeDefined();
    if (!documented.content) {
      // No content (204): nothing is sent.
      expect(text).toBe("");
      return;
    }
    const media = Object.keys(documented.content);
    if (!media.includes("application/json")) {
      // Not JSON (a calendar feed): the documented media type is what is sent.
      expect(media.some((m) => res.headers.get("content-type")?.startsWith(m))).toBe(true);
      return;
    }
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const schema = responseSchema(doc, method, path, status);
    expect(schema, `${op} ${status} has a JSON schema`).toBeDefined();
    expect(problemsOf(doc, schema!, JSON.parse(text))).toEqual([]);
  }

  describe("every documented answer, made to happen, matches its schema", () => {
    for (const [op, statuses] of Object.entries(CASES)) {
      for (const [status, drive] of Object.entries(statuses)) {
        test(`${op} → ${status}`, async () => expectDocumented(op, Number(status), await drive(t, sender(t.app, true))));
      }
      const success = Number(Object.keys(statuses).find((s) => s.startsWith("2")));
      test(`${op} → 401 without the token`, async () => expectDocumented(op, 401, await statuses[success]!(t, sender(t.app, false))));
      test(`${op} with acme's API key: as the operator within acme, 403 where the route is the operator's`, async () => {
        const [method, path] = op.split(" ") as [string, string];
        const who = doc.paths[path]![method.toLowerCase()]["x-api-keys"];
        const res = await statuses[success]!(t, sender(t.app, await acmeKey()));
        await expectDocumented(op, who === "operator" ? 403 : (KEY_ANSWER[op] ?? success), res);
      });
      test(`${op} → 503 when the database is down`, async () => {
        // An outage as it happens: the database server refuses connections. A client of its own
        // per case, since postgres.js backs off further after each refused connect.
        const unreachable: DbHandle = connectPostgres("postgres://postgres@127.0.0.1:1/handoff", { max: 1 });
        onTestFinished(() => unreachable.close());
        const res = await statuses[success]!(t, sender(createApp({ ...t.deps, db: unreachable.db }), true));
        expect(res.headers.get("retry-after"), `${res.status} ${await res.clone().text()}`).toBe("5");
        await expectDocumented(op, 503, res);
      });
    }
  });
});
