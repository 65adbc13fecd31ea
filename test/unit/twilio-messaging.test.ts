import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { OutboundSend } from "../../src/adapters/messaging/messaging.ts";
import { SendRejectedError, SendUnavailableError } from "../../src/adapters/messaging/messaging.ts";
import { twilioMessaging } from "../../src/adapters/messaging/twilio.ts";
import { ACCOUNT_SID, AUTH_TOKEN, TWILIO_API as API, TWILIO_MESSAGES as MESSAGES, useVendorEdge } from "../helpers/vendor-edge.ts";

const CALLS = `${API}/Calls.json`;

const server = useVendorEdge();

interface Seen {
  form: Record<string, string>;
  authorization: string | null;
  contentType: string | null;
}

/** Answers each request with the next response in line and records what the SDK sent. */
function twilioAnswers(url: string, responses: Array<() => Response>): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.post(url, async ({ request }) => {
      seen.push({
        form: Object.fromEntries(new URLSearchParams(await request.text())),
        authorization: request.headers.get("authorization"),
        contentType: request.headers.get("content-type"),
      });
      const next = responses[Math.min(seen.length, responses.length) - 1]!;
      return next();
    }),
  );
  return seen;
}

const messageCreated = (sid: string, status = "queued") => () =>
  HttpResponse.json(
    {
      account_sid: ACCOUNT_SID,
      api_version: "2010-04-01",
      body: "…",
      date_created: "Mon, 23 Nov 2026 15:00:00 +0000",
      date_sent: null,
      date_updated: "Mon, 23 Nov 2026 15:00:00 +0000",
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: "+15125550100",
      messaging_service_sid: null,
      num_media: "0",
      num_segments: "1",
      price: null,
      price_unit: "USD",
      sid,
      status,
      to: "+15125550111",
      uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`,
    },
    { status: 201 },
  );

const callCreated = (sid: string) => () =>
  HttpResponse.json(
    {
      account_sid: ACCOUNT_SID,
      api_version: "2010-04-01",
      direction: "outbound-api",
      from: "+15125550100",
      to: "+15125550113",
      sid,
      status: "queued",
      uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${sid}.json`,
    },
    { status: 201 },
  );

const twilioError = (status: number, code: number, message: string) => () =>
  HttpResponse.json(
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    { status },
  );

const sms = (overrides: Partial<OutboundSend> = {}): OutboundSend => ({
  messageId: "msg_1",
  businessSlug: "acme",
  to: "+15125550111",
  from: "+15125550100",
  channel: "sms",
  body: "New lead 1042 (Jane Doe, +15125550123): burst pipe. Reply ACCEPT 1042.",
  statusCallback: "https://handoff.example.com/webhooks/acme/twilio/status",
  ...overrides,
});

// Every behaviour holds on both wires: the SDK's default axios client (Node) and fetch (Workers).
describe.each([
  ["the SDK's own HTTP client", false],
  ["fetch", true],
])("twilioMessaging over %s", (_wire, useFetch) => {
  const messaging = () =>
    twilioMessaging({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseDelayMs: 1, maxRetries: 3, useFetch });

  describe("SMS", () => {
    it("posts To, From, Body and StatusCallback, authenticated as the account, and returns Twilio's status and sid", async () => {
      const seen = twilioAnswers(MESSAGES, [messageCreated("SM00000000000000000000000000000001")]);
      const result = await messaging().send(sms());

      expect(result).toEqual({ status: "queued", providerId: "SM00000000000000000000000000000001" });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.form).toEqual({
        To: "+15125550111",
        From: "+15125550100",
        Body: "New lead 1042 (Jane Doe, +15125550123): burst pipe. Reply ACCEPT 1042.",
        StatusCallback: "https://handoff.example.com/webhooks/acme/twilio/status",
      });
      expect(seen[0]!.contentType).toContain("application/x-www-form-urlencoded");
      const basic = Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64");
      expect(seen[0]!.authorization).toBe(`Basic ${basic}`);
    });

    it("leaves StatusCallback out when the gateway has no public URL", async () => {
      const seen = twilioAnswers(MESSAGES, [messageCreated("SM00000000000000000000000000000002")]);
      await messaging().send(sms({ statusCallback: null }));
      expect(seen[0]!.form).not.toHaveProperty("StatusCallback");
    });

    it("retries a 503 and succeeds on the next attempt", async () => {
      const seen = twilioAnswers(MESSAGES, [
        twilioError(503, 20500, "Service Unavailable"),
        messageCreated("SM00000000000000000000000000000003"),
      ]);
      const result = await messaging().send(sms());
      expect(result.providerId).toBe("SM00000000000000000000000000000003");
      expect(seen).toHaveLength(2);
      expect(seen[1]!.form).toEqual(seen[0]!.form);
    });

    it("retries a 429 (Twilio processed nothing) and succeeds", async () => {
      const seen = twilioAnswers(MESSAGES, [
        twilioError(429, 20429, "Too Many Requests"),
        twilioError(429, 20429, "Too Many Requests"),
        messageCreated("SM00000000000000000000000000000004", "accepted"),
      ]);
      const result = await messaging().send(sms());
      expect(result).toEqual({ status: "accepted", providerId: "SM00000000000000000000000000000004" });
      expect(seen).toHaveLength(3);
    });

    it("gives up after maxRetries with SendUnavailableError naming the last status", async () => {
      const seen = twilioAnswers(MESSAGES, [twilioError(500, 20500, "Internal Server Error")]);
      const warnings: Array<Record<string, unknown> | undefined> = [];
      const adapter = twilioMessaging({
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        baseDelayMs: 1,
        maxRetries: 2,
        useFetch,
        logger: { info() {}, error() {}, warn: (_m, fields) => warnings.push(fields) },
      });

      const error = await adapter.send(sms()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SendUnavailableError);
      expect(error).toMatchObject({ status: 500, code: 20500, attempts: 3 });
      expect(seen).toHaveLength(3);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatchObject({ messageId: "msg_1", status: 500 });
    });

    it("maps 21610 (recipient replied STOP) to SendRejectedError marked opted out, without retrying", async () => {
      const seen = twilioAnswers(MESSAGES, [twilioError(400, 21610, "Attempt to send to unsubscribed recipient")]);
      const error = await messaging().send(sms({ to: "+15125550123" })).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SendRejectedError);
      const rejected = error as SendRejectedError;
      expect(rejected).toMatchObject({ status: 400, code: 21610, moreInfo: "https://www.twilio.com/docs/errors/21610" });
      expect(rejected.optedOut).toBe(true);
      expect(rejected.message).toBe("Attempt to send to unsubscribed recipient");
      expect(seen).toHaveLength(1);
    });

    it("does not retry another 400 (invalid To) and reports it as rejected, not opted out", async () => {
      const seen = twilioAnswers(MESSAGES, [twilioError(400, 21211, "Invalid 'To' Phone Number")]);
      const error = await messaging().send(sms({ to: "+15005550001" })).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SendRejectedError);
      expect(error).toMatchObject({ status: 400, code: 21211, optedOut: false });
      expect(seen).toHaveLength(1);
    });

    it("refuses to send without a business number, before calling Twilio", async () => {
      // Counted explicitly: an unhandled SDK request surfaces as a DNS error here, not as
      // msw's own error, so "no request was made" needs its own assertion.
      let requests = 0;
      server.use(
        http.all("https://api.twilio.com/*", () => {
          requests++;
          return HttpResponse.json({}, { status: 500 });
        }),
      );
      const error = await messaging().send(sms({ from: null })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SendRejectedError);
      expect(error).toMatchObject({ status: null, code: null });
      expect(requests).toBe(0);
    });
  });

  describe("voice", () => {
    it("places a call that says the body when no TwiML is given", async () => {
      const seen = twilioAnswers(CALLS, [callCreated("CA00000000000000000000000000000001")]);
      const result = await messaging().send(
        sms({ channel: "voice", to: "+15125550113", body: "Urgent lead 1042 is still unaccepted & due now." }),
      );

      expect(result).toEqual({ status: "queued", providerId: "CA00000000000000000000000000000001" });
      const form = seen[0]!.form;
      expect(form).toMatchObject({
        To: "+15125550113",
        From: "+15125550100",
        StatusCallback: "https://handoff.example.com/webhooks/acme/twilio/status",
      });
      expect(form.Twiml).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Urgent lead 1042 is still unaccepted &amp; due now.</Say><Hangup/></Response>',
      );
      expect(form).not.toHaveProperty("Body");
      expect(form).not.toHaveProperty("Url");
    });

    it("runs the given TwiML (the keypad escalation) verbatim", async () => {
      const seen = twilioAnswers(CALLS, [callCreated("CA00000000000000000000000000000002")]);
      const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1"><Say>Press 1.</Say></Gather></Response>';
      await messaging().send(sms({ channel: "voice", to: "+15125550113", twiml }));
      expect(seen[0]!.form.Twiml).toBe(twiml);
    });

    it("retries a 502 on a call too", async () => {
      const seen = twilioAnswers(CALLS, [
        twilioError(502, 20500, "Bad Gateway"),
        callCreated("CA00000000000000000000000000000003"),
      ]);
      const result = await messaging().send(sms({ channel: "voice" }));
      expect(result.providerId).toBe("CA00000000000000000000000000000003");
      expect(seen).toHaveLength(2);
    });
  });
});
