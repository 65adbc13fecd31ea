import { z } from "zod";
import { hmacSha256Hex, timingSafeEqual, type VerifyInput } from "./crypto.ts";
import { callerPhone, isRecord, parseJsonBody, text, toDate, validatePayload, type ParseResult } from "./parse-result.ts";

/** True when `X-Webhook-Signature` is the hex HMAC-SHA256 of the raw body with the secret. */
export async function verifyBland({ headers, rawBody, secret }: VerifyInput): Promise<boolean> {
  const signature = headers.get("x-webhook-signature")?.trim();
  if (!secret || !signature) return false;
  return timingSafeEqual(signature.toLowerCase(), await hmacSha256Hex(secret, rawBody));
}

/** The headers Bland sends with a signed post-call webhook. */
export async function signBland(rawBody: string, secret: string, _now?: Date): Promise<Record<string, string>> {
  return { "content-type": "application/json", "x-webhook-signature": await hmacSha256Hex(secret, rawBody) };
}

// Only what the gateway reads; unknown fields are stripped and nulls tolerated.
const payloadSchema = z.object({
  // Bland's reference types call_id as a number, its payloads carry a UUID string: take either.
  call_id: z.union([z.string().min(1), z.number()]).transform(String),
  to: z.string().nullish(),
  from: z.string().nullish(),
  inbound: z.boolean().nullish(),
  completed: z.boolean().nullish(),
  status: z.string().nullish(),
  answered_by: z.string().nullish(),
  created_at: z.string().nullish(),
  started_at: z.string().nullish(),
  end_at: z.string().nullish(),
  concatenated_transcript: z.string().nullish(),
  summary: z.string().nullish(),
  variables: z.unknown().optional(),
  analysis: z.unknown().optional(),
  recording_url: z.string().nullish(),
});

/**
 * Variables Bland fills in on every call (clock, numbers, the caller's area-code geography). They
 * are not things the caller said: a `city` here is where the phone number is registered, so it
 * must not become the lead's market.
 */
const SYSTEM_VARIABLES = new Set([
  "now", "now_utc", "from", "to", "short_from", "short_to", "call_id", "phone_number",
  "country", "state", "city", "zip", "language", "timestamp", "timezone", "metadata",
]);

const NOT_ANSWERED = new Set(["voicemail", "no-answer", "no_answer", "busy", "failed", "canceled"]);

/** A Bland post-call webhook as a lead keyed `bland:<call_id>`. */
export function parseBland(rawBody: string): ParseResult {
  const call = validatePayload(payloadSchema, parseJsonBody(rawBody));
  const transcript = text(call.concatenated_transcript);
  const connected =
    transcript !== null &&
    call.completed !== false &&
    !NOT_ANSWERED.has(call.answered_by ?? "") &&
    !NOT_ANSWERED.has(call.status ?? "");
  return {
    kind: "lead",
    idempotencyKey: `bland:${call.call_id}`,
    provisional: false,
    event: {
      channel: "bland",
      externalId: call.call_id,
      // On an outbound call the customer is the number dialled.
      callerPhone: callerPhone(call.inbound === false ? call.to : call.from),
      transcript,
      summary: text(call.summary),
      structuredData: structuredData(call.variables, call.analysis),
      fields: {},
      source: null,
      startedAt: toDate(call.started_at ?? call.created_at),
      endedAt: toDate(call.end_at),
      recordingUrl: text(call.recording_url),
      connected,
    },
  };
}

/** The agency's extracted variables and analysis answers, without Bland's system variables. */
function structuredData(variables: unknown, analysis: unknown): Record<string, unknown> {
  const extracted = isRecord(variables)
    ? Object.fromEntries(Object.entries(variables).filter(([key]) => !SYSTEM_VARIABLES.has(key.toLowerCase())))
    : {};
  // An analysis_schema answer is the agency's deliberate extraction, so it wins over a variable.
  return isRecord(analysis) ? { ...extracted, ...analysis } : extracted;
}
