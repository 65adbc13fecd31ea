import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { OutboundSend } from "../../src/adapters/messaging/messaging.ts";
import { twilioMessaging } from "../../src/adapters/messaging/twilio.ts";
import { ACCOUNT_SID, TWILIO_API as API, useVendorEdge } from "../helpers/vendor-edge.ts";

// Looking up a send whose answer was never recorded, over Twilio's list endpoints.
const server = useVendorEdge();

const send = (over: Partial<OutboundSend> = {}): OutboundSend => ({
  messageId: "m1", businessSlug: "acme", to: "+15125550111", from: "+15125550100", channel: "sms",
  body: "NEW lead 1042. Reply ACCEPT 1042", statusCallback: null, ...over,
});
const since = new Date("2026-11-23T15:00:00Z");

describe.each([false, true])("twilioMessaging.lookup (fetch: %s)", (useFetch) => {
  const messaging = () => twilioMessaging({ accountSid: ACCOUNT_SID, authToken: "t", useFetch });

  function lists(path: string, key: string, items: object[]) {
    const queries: URLSearchParams[] = [];
    server.use(
      http.get(`${API}/${path}`, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return HttpResponse.json({ [key]: items, next_page_uri: null, page: 0, page_size: 50 });
      }),
    );
    return queries;
  }

  it("finds a text with the same body sent to the same number since the abandoned attempt", async () => {
    const queries = lists("Messages.json", "messages", [
      { sid: "SMother", body: "something else", status: "delivered" },
      { sid: "SMsame", body: send().body, status: "sent" },
    ]);
    expect(await messaging().lookup!(send(), since)).toEqual({ status: "sent", providerId: "SMsame" });
    expect(Object.fromEntries(queries[0]!)).toMatchObject({ To: "+15125550111", From: "+15125550100", "DateSent>": "2026-11-23T14:59:00Z" });
  });

  it("finds nothing when no text has the same body", async () => {
    lists("Messages.json", "messages", [{ sid: "SMother", body: "something else", status: "delivered" }]);
    expect(await messaging().lookup!(send(), since)).toBeNull();
  });

  it("finds a call to the member created since the abandoned attempt, not an older one", async () => {
    const call = (sid: string, at: string) => ({ sid, status: "completed", date_created: at });
    lists("Calls.json", "calls", [call("CAold", "Mon, 23 Nov 2026 14:50:00 +0000")]);
    expect(await messaging().lookup!(send({ channel: "voice" }), since)).toBeNull();
    server.resetHandlers();
    lists("Calls.json", "calls", [call("CAnew", "Mon, 23 Nov 2026 15:00:05 +0000"), call("CAold", "Mon, 23 Nov 2026 14:50:00 +0000")]);
    expect(await messaging().lookup!(send({ channel: "voice" }), since)).toEqual({ status: "completed", providerId: "CAnew" });
  });

  it("throws when Twilio cannot be asked, so the caller neither sends nor gives up", async () => {
    server.use(http.get(`${API}/Messages.json`, () => HttpResponse.json({ code: 20500, message: "down", status: 500 }, { status: 500 })));
    await expect(messaging().lookup!(send(), since)).rejects.toThrow();
  });
});
