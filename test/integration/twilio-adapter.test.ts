import { http, HttpResponse } from "msw";
import { beforeEach, expect, test } from "vitest";
import { twilioMessaging } from "../../src/adapters/messaging/twilio.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { messagesOf } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";
import { ACCOUNT_SID, TWILIO_API as API, useVendorEdge } from "../helpers/vendor-edge.ts";
import { DANA, MIA, postTwilio, PUBLIC_URL } from "../helpers/twilio.ts";

// The real adapter and the official SDK, with only Twilio's HTTP API replaced (msw at the edge).
const BUSINESS_NUMBER = "+15125550100";

const server = useVendorEdge();

interface Seen {
  kind: "message" | "call";
  form: Record<string, string>;
  sid: string;
}

/** Twilio's API as the SDK meets it: each create answered 201 with a new SID, unless `refuse` says otherwise. */
function fakeTwilio(refuse: (form: Record<string, string>, kind: Seen["kind"]) => Response | null = () => null): Seen[] {
  const seen: Seen[] = [];
  const answer = (kind: Seen["kind"]) => async ({ request }: { request: Request }) => {
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    const refused = refuse(form, kind);
    if (refused) return refused;
    const sid = `${kind === "message" ? "SM" : "CA"}${String(seen.length + 1).padStart(32, "0")}`;
    seen.push({ kind, form, sid });
    return HttpResponse.json({ sid, status: "queued", to: form.To, from: form.From, account_sid: ACCOUNT_SID }, { status: 201 });
  };
  server.use(http.post(`${API}/Messages.json`, answer("message")), http.post(`${API}/Calls.json`, answer("call")));
  return seen;
}

describeOnBackends("the real Twilio adapter end to end on $name", ({ kind }) => {
  let slug: string;
  const t = useTestApp(kind, () => ({ messaging: twilioMessaging({ accountSid: ACCOUNT_SID, authToken: "account-auth-token", baseDelayMs: 1 }) }));
  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    slug = await t.newBusiness();
  });

  test("an offer goes out through the SDK with a status callback on PUBLIC_URL, and its SID is recorded", async () => {
    const seen = fakeTwilio();
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business: slug }));
    await t.settle();

    expect(seen).toHaveLength(1);
    expect(seen[0]!.form).toMatchObject({
      To: DANA,
      From: BUSINESS_NUMBER,
      StatusCallback: `${PUBLIC_URL}/webhooks/${slug}/twilio/status`,
    });
    expect(seen[0]!.form.Body).toMatch(/^NEW lead 1001 STANDARD: Jane Doe, \+15125550123, 12 Elm St/);
    const [offer] = await messagesOf(t, slug);
    expect(offer).toMatchObject({ leadId: lead.id, purpose: "offer", status: "queued", providerId: seen[0]!.sid });
  });

  test("an undelivered offer text rings the member with a keypad call whose answer accepts the lead", async () => {
    const seen = fakeTwilio();
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business: slug }));
    await t.settle();
    await postTwilio(t, slug, "status", { MessageSid: seen[0]!.sid, MessageStatus: "undelivered", ErrorCode: "30005", To: DANA });
    await t.settle();

    const call = seen.find((s) => s.kind === "call")!;
    expect(call.form).toMatchObject({ To: DANA, From: BUSINESS_NUMBER, StatusCallback: `${PUBLIC_URL}/webhooks/${slug}/twilio/status` });
    const gatherUrl = `${PUBLIC_URL}/webhooks/${slug}/twilio/gather?lead=${lead.id}&member=dana`;
    expect(call.form.Twiml).toContain(`action="${gatherUrl.replace("&", "&amp;")}"`);
    expect(call.form.Twiml).toContain("Handoff lead 1 0 0 1.");
    expect((await messagesOf(t, slug)).find((m) => m.channel === "voice")).toMatchObject({ providerId: call.sid, purpose: "offer" });

    // Dana presses 1: Twilio posts to exactly the URL the TwiML named.
    const res = await postTwilio(t, slug, "gather", { CallSid: call.sid, Digits: "1", To: DANA }, { query: gatherUrl.slice(gatherUrl.indexOf("?")) });
    expect(res.text).toContain("Accepted.");
    await t.settle();
    expect((await t.call("GET", `/api/leads/${lead.id}`)).body).toMatchObject({ state: "accepted", ownerId: "dana" });
  });

  test("Twilio's 21610 marks the member opted out: the offer is suppressed, they are called, the manager is told", async () => {
    let refusedOnce = false;
    const seen = fakeTwilio((form, kind) => {
      if (kind !== "message" || form.To !== DANA || refusedOnce) return null;
      refusedOnce = true;
      return HttpResponse.json(
        { code: 21610, message: "Attempt to send to unsubscribed recipient", more_info: "https://www.twilio.com/docs/errors/21610", status: 400 },
        { status: 400 },
      );
    });
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business: slug }));
    await t.settle();

    const messages = await messagesOf(t, slug);
    expect(messages.find((m) => m.purpose === "offer" && m.channel === "sms")).toMatchObject({ status: "suppressed" });
    expect(seen.filter((s) => s.kind === "call").map((s) => s.form.To)).toEqual([DANA]);
    expect(seen.filter((s) => s.kind === "message").map((s) => s.form.To)).toEqual([MIA]);
    expect((await t.call("GET", `/api/leads/${lead.id}`)).body.events.find((e: any) => e.type === "offer_fallback").detail.cause).toBe("opted_out");
  });
});
