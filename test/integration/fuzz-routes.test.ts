import { count, inArray } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import { businessVersions, inboundEvents, leadEvents, leads, outboundMessages } from "../../src/db/schema/index.ts";
import { sweepInbox } from "../../src/intake/inbox-sweep.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { mutated, mutatedForm, nastyString, nastyValue } from "../helpers/nasty-input.ts";
import { fixture, signedHeaders, type AiProvider } from "../helpers/sign-fixture.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";
import { ConsoleClient } from "../helpers/console-client.ts";
import { fixture as twilioFixture, postTwilio } from "../helpers/twilio.ts";

// Malformed, oversized, NUL/emoji/RTL, wrong-type and out-of-range input at every route: never a
// 5xx, never an acknowledged webhook left unprocessed, nothing stored by a refused request.
// FUZZ_RUNS raises the number of cases per route (default 25) for a longer hunt.
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const settings = { numRuns: RUNS, endOnFailure: true };

describeOnBackends("fuzzing every route on $name", ({ kind }) => {
  let leadId: string;
  const t = useTestApp(kind);
  beforeAll(async () => {
    leadId = (await t.call("POST", "/api/leads", completeLead())).body.id;
  }, 60_000);

  /** Row counts of everything a request could store. */
  const stored = async () => {
    await t.settle();
    const n = async (table: typeof leads | typeof leadEvents | typeof businessVersions | typeof outboundMessages) =>
      (await t.deps.db.select({ n: count() }).from(table))[0]!.n;
    return { leads: await n(leads), events: await n(leadEvents), versions: await n(businessVersions), messages: await n(outboundMessages) };
  };

  /** A request that must not 5xx and, when refused, must have stored nothing. */
  const refusedStoresNothing = async (method: string, path: string, body?: unknown) => {
    const before = method === "GET" ? null : await stored();
    const res = await t.call(method, path, body);
    expect(res.status, `${method} ${path} → ${JSON.stringify(res.body)?.slice(0, 300)}`).toBeLessThan(500);
    if (res.status >= 400) {
      expect(res.body.error.code).toEqual(expect.any(String));
      if (before) expect(await stored()).toEqual(before);
    }
  };

  /** Every acknowledged webhook is processed (after the sweep a crash or a provisional wait needs). */
  const nothingLeftUnprocessed = async () => {
    await t.settle();
    t.clock.advance(5 * 60_000);
    await sweepInbox(t.deps);
    await t.settle();
    const open = await t.deps.db
      .select({ id: inboundEvents.id, provider: inboundEvents.provider, status: inboundEvents.status, error: inboundEvents.lastError })
      .from(inboundEvents)
      .where(inArray(inboundEvents.status, ["received", "processing", "failed"]));
    expect(open).toEqual([]);
  };

  /** A URL can carry any text but a lone surrogate (it has no UTF-8); those become U+FFFD. */
  const inUrl = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));
  const query = fc.dictionary(fc.constantFrom("business", "state", "limit", "lead", "date", "cursor", "q", "x"), nastyString, { maxKeys: 4 });
  const qs = (q: Record<string, string>) => Object.entries(q).map(([k, v]) => `${k}=${inUrl(v)}`).join("&");

  test("GET routes with nasty ids and queries", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/api/leads?", "/api/messages?", "/api/reviews/end-of-day?", "/api/leads/{id}", "/api/businesses/{id}"),
        nastyString,
        query,
        async (route, id, q) => refusedStoresNothing("GET", route.replace("{id}", inUrl(id)) + (route.endsWith("?") ? qs(q) : "")),
      ),
      settings,
    );
  });

  test("lead and business writes to nasty ids", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("PATCH /api/leads/{id}", "POST /api/leads/{id}/accept", "POST /api/leads/{id}/close", "PUT /api/businesses/{id}"),
        nastyString,
        async (route, id) => {
          const [method, path] = route.split(" ") as [string, string];
          await refusedStoresNothing(method, path.replace("{id}", inUrl(id)), { memberId: "dana", outcome: "booked", fullName: "X" });
        },
      ),
      settings,
    );
  });

  test("POST /api/leads with mutated leads and arbitrary bodies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated(completeLead({ phone: "+15125550999" })), nastyValue), async (body) =>
        refusedStoresNothing("POST", "/api/leads", body === undefined ? "" : JSON.stringify(body)),
      ),
      settings,
    );
  });

  test("PATCH /api/leads/:id with mutated fields", async () => {
    const patch = { fullName: "Janet Doe", summaryNotes: "Leak", nextActionDueAt: "2030-01-01T09:00:00Z", followUpDate: "2030-01-02" };
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated(patch), nastyValue), async (body) => refusedStoresNothing("PATCH", `/api/leads/${leadId}`, JSON.stringify(body ?? null))),
      settings,
    );
  });

  test("lead actions with mutated bodies", async () => {
    const action = { memberId: "dana", reason: "no gate code", outcome: "booked" };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("accept", "reject", "reassign", "close"), fc.oneof(mutated(action), nastyValue), async (verb, body) => {
        const fresh = (await t.call("POST", "/api/leads", completeLead({ phone: "+15125550998", fullName: "Fuzz Target" }))).body.id;
        await refusedStoresNothing("POST", `/api/leads/${fresh ?? leadId}/${verb}`, JSON.stringify(body ?? null));
      }),
      settings,
    );
  });

  test("PUT /api/businesses/:slug with mutated configs", async () => {
    const config = { ...demoInput(), slug: "fuzzco" };
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: mutated(config) }, { weight: 1, arbitrary: nastyValue }), async (body) => {
        await refusedStoresNothing("PUT", "/api/businesses/fuzzco", JSON.stringify(body ?? null));
        // Whatever was accepted must leave the business usable: a lead can still be made.
        const business = await t.call("GET", "/api/businesses/fuzzco");
        if (business.status === 200) {
          const res = await t.call("POST", "/api/leads", completeLead({ business: "fuzzco", phone: "+15125550997" }));
          expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500);
        }
      }),
      settings,
    );
  });

  const AI: [AiProvider, string][] = [
    ["vapi", "vapi/complete-call"],
    ["vapi", "vapi/emergency-burst-pipe"],
    ["retell", "retell/complete-call"],
    ["retell", "retell/complete-call-ended"],
    ["bland", "bland/complete-call"],
    ["intake", "intake/web-form-complete"],
    ["intake", "intake/transcript-only"],
  ];

  test.each(AI)("signed %s webhooks (%s mutated) are answered below 500 and none is lost", async (provider, name) => {
    await fc.assert(
      fc.asyncProperty(mutated(JSON.parse(fixture(name))), async (payload) => {
        const body = JSON.stringify(payload);
        const res = await t.app.request(`/webhooks/acme/${provider}`, { method: "POST", body, headers: await signedHeaders(provider, body, t.clock.now()) });
        expect(res.status, await res.text()).toBeLessThan(500);
      }),
      settings,
    );
    await nothingLeftUnprocessed();
  });

  test.each([
    ["sms", "sms-customer-reply.json"],
    ["sms", "sms-owner-reject.json"],
    ["sms", "sms-customer-stop.json"],
    ["voice", "voice-inbound.json"],
    ["dial-status", "dial-status-no-answer.json"],
    ["status", "message-status-failed.json"],
    ["gather", "gather-accept.json"],
    ["voicemail", "voicemail.json"],
  ])("signed Twilio %s webhooks (%s mutated) are answered below 500 and none is lost", async (hook, name) => {
    await fc.assert(
      fc.asyncProperty(mutatedForm(twilioFixture(name)), async (params) => {
        const res = await postTwilio(t, "acme", hook, params);
        expect(res.status, res.text).toBeLessThan(500);
      }),
      settings,
    );
    await nothingLeftUnprocessed();
  });

  test("unsigned or garbage bodies at every webhook are refused below 500 and store no lead", async () => {
    const hooks = ["vapi", "retell", "bland", "intake", "twilio/sms", "twilio/voice", "twilio/status", "twilio/gather"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...hooks), fc.oneof(nastyString, nastyValue.map((v) => JSON.stringify(v) ?? "")), nastyString, async (hook, body, slug) => {
        const before = await stored();
        for (const path of [`/webhooks/acme/${hook}`, `/webhooks/${inUrl(slug)}/${hook}`, "/webhooks/qstash"]) {
          const res = await t.app.request(path, { method: "POST", body, headers: { "content-type": "application/json", "x-vapi-secret": /^[ -~]*$/.test(slug) ? slug : "x" } });
          expect(res.status, `${path}: ${await res.text()}`).toBeLessThan(500);
          expect(res.status).toBeGreaterThanOrEqual(400);
        }
        expect(await stored()).toEqual(before);
      }),
      settings,
    );
  });
  test("console pages and forms with nasty paths, queries and fields answer below 500", async () => {
    const consoleLead = (await t.call("POST", "/api/leads", completeLead({ phone: "+15125550988", fullName: "Console Fuzz" }))).body;
    const member = new ConsoleClient(t);
    await member.signIn("+15125550111");
    const operator = new ConsoleClient(t);
    await operator.signInOperator();
    const stranger = new ConsoleClient(t);
    const pages = ["/console/board?", "/console/board/columns?", "/console/board/more?", "/console/review?", "/console/team?", "/console/config?", "/console/qa?", "/console/metrics?", "/console/metrics.csv?", "/console/deliveries?", "/console/leads/{id}", "/console/{id}"];
    const consoleQuery = fc.dictionary(fc.constantFrom("business", "state", "q", "cursor", "date", "version", "done", "week", "lead", "from", "to", "status", "x"), nastyString, { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(member, operator, stranger), fc.constantFrom(...pages), nastyString, consoleQuery, async (who, route, id, q) => {
        const path = route.replace("{id}", inUrl(id)) + (route.endsWith("?") ? qs(q) : "");
        const res = await who.get(path);
        expect(res.status, `GET ${path} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
      }),
      settings,
    );
    const forms: Record<string, Record<string, string>> = {
      accept: {}, reject: { reason: "no address" }, reassign: { memberId: "omar", reason: "closer" }, "next-action": { action: "call", dueAt: "2027-01-05T09:00" },
      notes: { text: "a note" }, close: { outcome: "booked", reason: "done" }, fields: { fullName: "Jane", urgency: "standard", followUpDate: "2026-12-01" },
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(member, operator),
        fc.constantFrom(...Object.keys(forms)).chain((action) => fc.tuple(fc.constant(action), mutatedForm({ ...forms[action]!, memberId: "dana" }))),
        nastyString,
        fc.boolean(),
        async (who, [action, form], id, realLead) => {
        const ref = realLead ? `acme:${consoleLead.code}` : inUrl(id);
        const res = await who.post(`/console/leads/${ref}/${action}`, form);
        expect(res.status, `POST ${action} ${JSON.stringify(form).slice(0, 200)} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
        },
      ),
      settings,
    );
    // The QA review and a delivery's retry: nasty ids and fields, a real lead or not.
    const qaForm = { week: "2026-W49", ownerCorrect: "yes", notesSufficient: "no", waitedTooLong: "unsure", customerRepeated: "no", outcomeMatched: "yes", note: "fine" };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(member, operator), fc.constantFrom("qa", "retry"), mutatedForm(qaForm), nastyString, fc.boolean(), async (who, kind, form, id, realLead) => {
        const ref = realLead ? consoleLead.id : inUrl(id);
        const path = kind === "qa" ? `/console/qa/${ref}` : `/console/deliveries/${ref}/retry`;
        const res = await who.post(path, form);
        expect(res.status, `POST ${path} ${JSON.stringify(form).slice(0, 200)} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
      }),
      settings,
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("/console/sign-in/code", "/console/sign-in/verify", "/console/sign-in/operator", "/console/sign-out"), fc.dictionary(fc.constantFrom("phone", "code", "token", "_csrf", "x"), nastyString, { maxKeys: 4 }), async (path, form) => {
        const res = await stranger.post(path, form);
        expect(res.status, `POST ${path} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
        const raw = await t.app.request(path, { method: "POST", body: JSON.stringify(form), headers: { "content-type": "application/json" } });
        expect(raw.status).toBeLessThan(500);
      }),
      settings,
    );
  });
});
