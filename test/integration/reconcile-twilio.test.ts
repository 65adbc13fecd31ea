import { afterEach, beforeEach, expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadById, leadsOf, messagesOf } from "../helpers/listings.ts";
import { fakeTwilioLogs, twilioCall, twilioMessage } from "../helpers/provider-apis.ts";
import { quickRetries, reconcileNow, stopReconciling } from "../helpers/reconcile.ts";
import { ADMIN_TOKEN } from "../helpers/test-app.ts";
import { fixture, postTwilio, PUBLIC_URL } from "../helpers/twilio.ts";
import { ACCOUNT_SID, AUTH_TOKEN, useVendorEdge } from "../helpers/vendor-edge.ts";

const MAIN_LINE = "+15125550100";
const FORWARD_TO = "+15125550199";
const minutes = (n: number) => n * 60_000;

describeOnBackends("reconciliation with Twilio on $name", ({ kind }) => {
  const server = useVendorEdge();
  const t = useTestApp(kind, {
    deps: {
      settings: {
        publicUrl: PUBLIC_URL,
        adminToken: ADMIN_TOKEN,
        secrets: {},
        qstash: {},
        reconcile: { apiKeys: {}, twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } },
      },
    },
  });
  let slug: string | undefined;
  beforeEach(() => {
    t.clock.set("2026-11-23T15:00:00Z");
    quickRetries(t);
  });
  afterEach(() => stopReconciling(t, slug));

  const at = (minutesAgo: number) => new Date(t.clock.now().getTime() - minutes(minutesAgo));

  test("calls whose dial-status never came, calls the gateway never answered and texts it never got become one lead each; answered calls and known ones do not", async () => {
    slug = await t.newBusiness((c) => {
      c.reconcile = { twilio: true, every: "5m", lookBack: "2h" };
    });
    const twilio = fakeTwilioLogs(server, { pageCap: 2 });
    const parent = (sid: string, from: string, minutesAgo: number) => twilioCall(sid, { from, to: MAIN_LINE, status: "completed", at: at(minutesAgo) });
    const leg = (sid: string, parentCallSid: string, status: string, minutesAgo: number) =>
      twilioCall(sid, { from: MAIN_LINE, to: FORWARD_TO, status, direction: "outbound-dial", parentCallSid, at: at(minutesAgo) });
    twilio.calls.push(
      // Forwarded, nobody answered, and the dial-status webhook was lost.
      parent("CA00000000000000000000000000000a01", "+15125550161", 40),
      leg("CA00000000000000000000000000000b01", "CA00000000000000000000000000000a01", "no-answer", 40),
      // Forwarded and answered.
      parent("CA00000000000000000000000000000a02", "+15125550162", 35),
      leg("CA00000000000000000000000000000b02", "CA00000000000000000000000000000a02", "completed", 35),
      // The gateway was down: no TwiML, so no leg was ever dialled.
      parent("CA00000000000000000000000000000a03", "+15125550163", 30),
      // Its dial-status did arrive.
      parent("CA00000000000000000000000000000a04", "+15125550164", 20),
      leg("CA00000000000000000000000000000b04", "CA00000000000000000000000000000a04", "busy", 20),
      // Our voice webhook answered; the caller hung up before the forward rang.
      parent("CA00000000000000000000000000000a05", "+15125550165", 10),
      // Still ringing: not over, not looked at.
      twilioCall("CA00000000000000000000000000000a06", { from: "+15125550166", to: MAIN_LINE, status: "ringing", at: at(0) }),
    );
    twilio.messages.push(
      twilioMessage("SM00000000000000000000000000000c01", { from: "+15125550167", to: MAIN_LINE, body: "Hi, my water heater is leaking. Lisa Park, 77 Oak Lane Austin TX 78704", at: at(25) }),
      twilioMessage("SM00000000000000000000000000000c02", { from: MAIN_LINE, to: "+15125550167", body: "Thanks", direction: "outbound-api", at: at(24) }),
    );
    const dialStatus = (sid: string, from: string, status: string) => ({ ...fixture("dial-status-no-answer.json"), CallSid: sid, From: from, Caller: from, DialCallStatus: status });
    await postTwilio(t, slug, "dial-status", dialStatus("CA00000000000000000000000000000a04", "+15125550164", "busy"));
    await postTwilio(t, slug, "voice", { ...fixture("voice-inbound.json"), CallSid: "CA00000000000000000000000000000a05", From: "+15125550165" });
    await t.settle();

    await reconcileNow(t);

    const leads = await leadsOf(t, slug);
    const byPhone = (phone: string) => leads.filter((l) => l.phone === phone);
    expect(leads).toHaveLength(4);
    expect(byPhone("+15125550161")).toMatchObject([{ source: "missed_call", channel: "twilio_voice", externalId: "CA00000000000000000000000000000a01" }]);
    expect(byPhone("+15125550163")).toMatchObject([{ source: "missed_call", externalId: "CA00000000000000000000000000000a03" }]);
    expect(byPhone("+15125550163")[0].summaryNotes).toContain("the gateway could not answer it");
    expect(byPhone("+15125550164")).toHaveLength(1);
    expect(byPhone("+15125550167")).toMatchObject([{ channel: "twilio_sms" }]);
    expect(byPhone("+15125550162")).toHaveLength(0);
    expect(byPhone("+15125550165")).toHaveLength(0);
    // The missed call's note tells the time the caller called, not when it was found.
    expect(byPhone("+15125550161")[0].summaryNotes).toContain("8:20 AM");
    for (const phone of ["+15125550161", "+15125550163", "+15125550167"]) {
      const { events } = await leadById(t, byPhone(phone)[0].id);
      expect(events.filter((e: any) => e.type === "recovered"), phone).toMatchObject([{ detail: { provider: "twilio", by: "reconciliation" } }]);
    }
    // Child legs were asked for only where no webhook had settled the call, and every page was read.
    const parentsAsked = twilio.requests.map((u) => u.searchParams.get("ParentCallSid")).filter(Boolean);
    expect(parentsAsked.sort()).toEqual(["CA00000000000000000000000000000a01", "CA00000000000000000000000000000a02", "CA00000000000000000000000000000a03", "CA00000000000000000000000000000a05"]);
    expect(twilio.requests.filter((u) => u.pathname.endsWith("/Calls.json") && u.searchParams.get("To") === MAIN_LINE).length).toBeGreaterThan(1);
    const textBacks = () => messagesOf(t, slug!).then((m) => m.filter((x) => x.purpose === "text-back"));
    expect((await textBacks()).map((m) => m.to).sort()).toEqual(["+15125550161", "+15125550163", "+15125550164"]);

    // The lost dial-status arrives after all: the same key, so no second lead and no second text.
    const before = (await messagesOf(t, slug)).length;
    const late = await postTwilio(t, slug, "dial-status", dialStatus("CA00000000000000000000000000000a01", "+15125550161", "no-answer"));
    expect(late.status).toBe(200);
    await t.settle();
    expect(await leadsOf(t, slug)).toHaveLength(4);
    expect((await messagesOf(t, slug)).length).toBe(before);

    const { body } = await t.call("GET", `/api/reconciliation?business=${slug}`);
    expect(body.twilio).toMatchObject({ enabled: true, seen: 6, recovered: 3, errors: 0 });
  });

  test("a Twilio outage is reported and retried, and the calls are recovered once it is back", async () => {
    slug = await t.newBusiness((c) => {
      c.reconcile = { twilio: true, every: "5m", lookBack: "2h" };
    });
    const twilio = fakeTwilioLogs(server);
    twilio.calls.push(twilioCall("CA00000000000000000000000000000d01", { from: "+15125550171", to: MAIN_LINE, status: "completed", at: at(15) }));
    twilio.failNext(3, 500);
    await reconcileNow(t);
    let { body } = await t.call("GET", `/api/reconciliation?business=${slug}`);
    expect(body.twilio).toMatchObject({ errors: 1, lastError: expect.stringContaining("500") });
    expect(await leadsOf(t, slug)).toHaveLength(0);
    t.clock.advance(5_000);
    await reconcileNow(t);
    ({ body } = await t.call("GET", `/api/reconciliation?business=${slug}`));
    expect(body.twilio).toMatchObject({ errors: 0, recovered: 1 });
    expect(await leadsOf(t, slug)).toMatchObject([{ phone: "+15125550171", source: "missed_call" }]);
  });
});
