import { z } from "zod";
import { hmacSha256Hex, timingSafeEqual, type VerifyInput } from "./crypto.ts";
import { callerPhone, isRecord, parseJsonBody, text, toDate, validatePayload, type ParseResult } from "./parse-result.ts";

/** How far a signature's timestamp may be from our clock, as the retell-sdk's `verify` allows. */
const MAX_SKEW_MS = 5 * 60 * 1000;

/**
 * True when `x-retell-signature` is `v=<ms>,d=<hex>` with hex = HMAC-SHA256(secret, rawBody +
 * ms) and ms within 5 minutes of `now`, or (the older form) a plain hex HMAC of the raw body.
 */
export async function verifyRetell({ headers, rawBody, secret, now = new Date() }: VerifyInput): Promise<boolean> {
  const header = headers.get("x-retell-signature")?.trim();
  if (!secret || !header) return false;
  const stamped = /^v=(\d+),d=([0-9a-f]+)$/i.exec(header);
  if (stamped) {
    const [, timestamp, digest] = stamped as unknown as [string, string, string];
    if (Math.abs(now.getTime() - Number(timestamp)) > MAX_SKEW_MS) return false;
    return timingSafeEqual(digest.toLowerCase(), await hmacSha256Hex(secret, rawBody + timestamp));
  }
  if (/^[0-9a-f]{64}$/i.test(header)) return timingSafeEqual(header.toLowerCase(), await hmacSha256Hex(secret, rawBody));
  return false;
}

/** The headers Retell sends: a timestamped HMAC signature of the body. */
export async function signRetell(rawBody: string, secret: string, now = new Date()): Promise<Record<string, string>> {
  const timestamp = String(now.getTime());
  const digest = await hmacSha256Hex(secret, rawBody + timestamp);
  return { "content-type": "application/json", "x-retell-signature": `v=${timestamp},d=${digest}` };
}

// Only what the gateway reads; unknown fields are stripped and nulls tolerated.
const payloadSchema = z.object({
  event: z.string().min(1),
  call: z.object({
    call_id: z.string().min(1),
    direction: z.string().nullish(),
    from_number: z.string().nullish(),
    to_number: z.string().nullish(),
    call_status: z.string().nullish(),
    start_timestamp: z.number().nullish(),
    end_timestamp: z.number().nullish(),
    disconnection_reason: z.string().nullish(),
    transcript: z.string().nullish(),
    recording_url: z.string().nullish(),
    call_analysis: z
      .object({ call_summary: z.string().nullish(), custom_analysis_data: z.unknown().optional() })
      .nullish(),
  }),
});

/** Disconnection reasons of a call that never reached the agent. */
const NEVER_CONNECTED = new Set(["dial_no_answer", "dial_busy", "dial_failed"]);

/**
 * A Retell webhook as a lead (`call_analyzed`, or `call_ended`: provisional when the call
 * connected, since its analysis follows) or ignored (`call_started` and other events), keyed
 * `retell:<call_id>:<event>` because Retell retries and each event of a call arrives once.
 */
export function parseRetell(rawBody: string): ParseResult {
  const { event, call } = validatePayload(payloadSchema, parseJsonBody(rawBody));
  const idempotencyKey = `retell:${call.call_id}:${event}`;
  if (event !== "call_ended" && event !== "call_analyzed") {
    return { kind: "ignored", idempotencyKey, reason: `Retell "${event}" events carry no finished call` };
  }
  const transcript = text(call.transcript);
  const connected =
    transcript !== null && call.call_status !== "not_connected" && !NEVER_CONNECTED.has(call.disconnection_reason ?? "");
  const custom = call.call_analysis?.custom_analysis_data;
  return {
    kind: "lead",
    idempotencyKey,
    provisional: event === "call_ended" && connected,
    event: {
      channel: "retell",
      externalId: call.call_id,
      // On an outbound call the customer is the number dialled.
      callerPhone: callerPhone(call.direction === "outbound" ? call.to_number : call.from_number),
      transcript,
      summary: text(call.call_analysis?.call_summary),
      structuredData: isRecord(custom) ? custom : {},
      fields: {},
      source: null,
      startedAt: toDate(call.start_timestamp),
      endedAt: toDate(call.end_timestamp),
      recordingUrl: text(call.recording_url),
      connected,
    },
  };
}
