import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { businesses, inboundEvents, webhookRejections } from "../../src/db/schema/index.ts";
import type { Messaging, OutboundSend } from "../../src/adapters/messaging/messaging.ts";
import { encodeTwilioForm, signTwilio } from "../../src/adapters/inbound/twilio.ts";
import type { TestApp } from "./test-app.ts";

/** The demo business's Twilio auth token (fixtures/demo-business.json). */
export const DEMO_TOKEN = "demo-twilio-token";
/** PUBLIC_URL of the test app: Twilio signs this, never the local URL. */
export const PUBLIC_URL = "https://gateway.example.com";

export const DANA = "+15125550111";
export const OMAR = "+15125550112";
export const MIA = "+15125550113";
export const IVY = "+15125550115";
export const JANE = "+15125550123";

/** A Twilio fixture's form fields. */
export const fixture = (name: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/twilio/${name}`, import.meta.url), "utf8"));

export interface PostOptions {
  /** The query Twilio requested (gather: `?lead=…&member=…`). */
  query?: string;
  token?: string;
  /** The URL to sign; PUBLIC_URL + path by default. */
  signedUrl?: string;
  /** Send this body instead of the signed params (a tampered request). */
  bodyParams?: Record<string, string>;
}

/** Signs `params` the way Twilio would (the SDK's helper) and posts them form-encoded. */
export async function postTwilio(t: TestApp, slug: string, hook: string, params: Record<string, string>, opts: PostOptions = {}) {
  const path = `/webhooks/${slug}/twilio/${hook}${opts.query ?? ""}`;
  const signature = signTwilio(opts.token ?? DEMO_TOKEN, opts.signedUrl ?? `${PUBLIC_URL}${path}`, params);
  const res = await t.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    body: encodeTwilioForm(opts.bodyParams ?? params),
  });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

let sids = 0;
/** A unique-looking Twilio SID. */
export const newSid = (prefix: "SM" | "CA" | "RE") => `${prefix}${(++sids).toString(16).padStart(32, "0")}`;

/** An inbound SMS as Twilio posts it. */
export const sms = (from: string, body: string, extra: Record<string, string> = {}) => ({
  ...fixture("sms-owner-accept.json"),
  MessageSid: newSid("SM"),
  SmsSid: "",
  SmsMessageSid: "",
  From: from,
  Body: body,
  ...extra,
});

/**
 * Messaging that accepts every send like Twilio does (a SID, status queued), so status
 * callbacks can name the outbox rows. Records what it was asked to send.
 */
export function acceptingMessaging(): Messaging & { sent: OutboundSend[] } {
  const sent: OutboundSend[] = [];
  return {
    name: "accepting",
    sent,
    async send(message) {
      sent.push(message);
      return { status: "queued", providerId: newSid(message.channel === "sms" ? "SM" : "CA") };
    },
  };
}

/** Twilio events stored for a business (raw payloads in the inbox). */
export async function storedTwilioEvents(t: TestApp, slug: string) {
  const [business] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug));
  return t.deps.db
    .select()
    .from(inboundEvents)
    .where(and(eq(inboundEvents.businessId, business!.id), eq(inboundEvents.provider, "twilio")));
}

/** How many Twilio webhooks for a business were refused, by reason. */
export async function rejectionCount(t: TestApp, slug: string): Promise<number> {
  const rows = await t.deps.db
    .select()
    .from(webhookRejections)
    .where(and(eq(webhookRejections.business, slug), eq(webhookRejections.provider, "twilio")));
  return rows.reduce((n, r) => n + r.count, 0);
}

/** As postTwilio, to a gateway running at `base` (a real process): signed for PUBLIC_URL, 200 expected by the caller. */
export async function postTwilioTo(base: string, slug: string, hook: string, params: Record<string, string>) {
  const path = `/webhooks/${slug}/twilio/${hook}`;
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signTwilio(DEMO_TOKEN, `${PUBLIC_URL}${path}`, params) },
    body: encodeTwilioForm(params),
  });
}
