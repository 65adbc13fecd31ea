import { readFileSync } from "node:fs";
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import {
  encodeTwilioForm,
  parseTwilioForm,
  publicWebhookUrl,
  signTwilio,
  verifyTwilioSignature,
} from "../../src/adapters/inbound/twilio.ts";

const fixture = (name: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/twilio/${name}`, import.meta.url), "utf8"));

const AUTH_TOKEN = "9f2c4b7e1a0d3c5e8f6a2b4d7c9e1f03";
const PUBLIC_URL = "https://handoff.example.com";
const SMS_URL = `${PUBLIC_URL}/webhooks/acme/twilio/sms`;

describe("verifyTwilioSignature", () => {
  it("accepts Twilio's own documented example request", () => {
    // The worked example in Twilio's security docs (token "12345"), so our wiring is checked
    // against a value we did not compute ourselves.
    const ok = verifyTwilioSignature({
      authToken: "12345",
      url: "https://mycompany.com/myapp.php?foo=1&bar=2",
      params: {
        CallSid: "CA1234567890ABCDE",
        Caller: "+14158675310",
        Digits: "1234",
        From: "+14158675310",
        To: "+18005551212",
      },
      signature: "GvWf1cFY/Q7PnoempGyD5oXAezc=",
    });
    expect(ok).toBe(true);
  });

  it("accepts an owner's ACCEPT signed by Twilio's helper for the public URL", () => {
    const params = fixture("sms-owner-accept.json");
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, SMS_URL, params);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: SMS_URL, params, signature })).toBe(true);
  });

  it("refuses a request whose Body was changed after signing", () => {
    const params = fixture("sms-owner-reject.json");
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, SMS_URL, params);
    const tampered = { ...params, Body: "ACCEPT 1042" };
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: SMS_URL, params: tampered, signature })).toBe(false);
  });

  it("refuses a request with an extra field Twilio did not sign", () => {
    const params = fixture("sms-owner-accept.json");
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, SMS_URL, params);
    const padded = { ...params, OptOutType: "STOP" };
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: SMS_URL, params: padded, signature })).toBe(false);
  });

  it("refuses when checked against the local URL instead of PUBLIC_URL", () => {
    const params = fixture("sms-owner-accept.json");
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, SMS_URL, params);
    const localUrl = "http://localhost:8787/webhooks/acme/twilio/sms";
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: localUrl, params, signature })).toBe(false);
  });

  it("refuses a signature made with another auth token", () => {
    const params = fixture("voice-inbound.json");
    const url = `${PUBLIC_URL}/webhooks/acme/twilio/voice`;
    const signature = twilio.getExpectedTwilioSignature("another-accounts-token-000000000", url, params);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params, signature })).toBe(false);
  });

  it("refuses a missing signature header and an empty auth token", () => {
    const params = fixture("sms-owner-accept.json");
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, SMS_URL, params);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: SMS_URL, params, signature: null })).toBe(false);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: SMS_URL, params, signature: "" })).toBe(false);
    expect(verifyTwilioSignature({ authToken: "", url: SMS_URL, params, signature })).toBe(false);
  });

  it("answers false, not an exception, for a URL that is not a URL", () => {
    const params = fixture("sms-owner-accept.json");
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: "not a url", params, signature: "abc=" })).toBe(false);
  });

  it("covers the query string: a signature for ?attempt=1 does not pass for ?attempt=2", () => {
    const params = fixture("gather-accept.json");
    const signed = publicWebhookUrl(PUBLIC_URL, "/webhooks/acme/twilio/gather", "?lead=1042&attempt=1");
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, signed, params);
    const other = publicWebhookUrl(PUBLIC_URL, "/webhooks/acme/twilio/gather", "?lead=1042&attempt=2");
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: signed, params, signature })).toBe(true);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: other, params, signature })).toBe(false);
  });
});

describe("signTwilio", () => {
  it("produces the header Twilio's validateRequest accepts, so simulate posts pass the real check", () => {
    const params = fixture("dial-status-no-answer.json");
    const url = `${PUBLIC_URL}/webhooks/acme/twilio/dial-status`;
    const signature = signTwilio(AUTH_TOKEN, url, params);
    expect(twilio.validateRequest(AUTH_TOKEN, signature, url, params)).toBe(true);
    expect(twilio.validateRequest(AUTH_TOKEN, signature, url, { ...params, DialCallStatus: "completed" })).toBe(false);
  });
});

describe("publicWebhookUrl", () => {
  it.each([
    ["a bare base", "https://handoff.example.com", "/webhooks/acme/twilio/sms", "", "https://handoff.example.com/webhooks/acme/twilio/sms"],
    ["a base with a trailing slash", "https://handoff.example.com/", "/webhooks/acme/twilio/sms", "", "https://handoff.example.com/webhooks/acme/twilio/sms"],
    ["a base behind a path prefix", "https://example.com/handoff", "/webhooks/acme/twilio/sms", "", "https://example.com/handoff/webhooks/acme/twilio/sms"],
    ["a path without its slash", "https://handoff.example.com", "webhooks/acme/twilio/sms", "", "https://handoff.example.com/webhooks/acme/twilio/sms"],
    ["a query with its ?", "https://handoff.example.com", "/webhooks/acme/twilio/gather", "?lead=1042", "https://handoff.example.com/webhooks/acme/twilio/gather?lead=1042"],
    ["a query without its ?", "https://handoff.example.com", "/webhooks/acme/twilio/gather", "lead=1042", "https://handoff.example.com/webhooks/acme/twilio/gather?lead=1042"],
    ["an empty search", "https://handoff.example.com", "/webhooks/acme/twilio/sms", "?", "https://handoff.example.com/webhooks/acme/twilio/sms"],
    ["an encoded query kept verbatim", "https://handoff.example.com", "/x", "?to=%2B15125550111&n=a+b", "https://handoff.example.com/x?to=%2B15125550111&n=a+b"],
  ])("joins %s", (_name, base, path, query, expected) => {
    expect(publicWebhookUrl(base, path, query)).toBe(expected);
  });
});

describe("parseTwilioForm", () => {
  it("round-trips every fixture through the form encoding Twilio uses", () => {
    for (const name of ["sms-customer-reply.json", "voice-inbound.json", "message-status-failed.json"]) {
      const params = fixture(name);
      expect(parseTwilioForm(encodeTwilioForm(params))).toEqual(params);
    }
  });

  it("decodes + as a space and %2B as a plus, as form encoding says", () => {
    expect(parseTwilioForm("Body=REJECT+1042+no+address&From=%2B15125550111")).toEqual({
      Body: "REJECT 1042 no address",
      From: "+15125550111",
    });
  });

  it("keeps empty values, which Twilio sends and signs (FinishedOnKey=)", () => {
    expect(parseTwilioForm("Digits=1&FinishedOnKey=")).toEqual({ Digits: "1", FinishedOnKey: "" });
  });

  it("a body parsed from the wire verifies against the signature over the original fields", () => {
    const params = fixture("sms-customer-reply.json");
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, SMS_URL, params);
    const received = parseTwilioForm(encodeTwilioForm(params));
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: SMS_URL, params: received, signature })).toBe(true);
  });
});
