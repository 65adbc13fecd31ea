import { z } from "zod";
import { bearerToken, sha256Hex, timingSafeEqual, type VerifyInput } from "./crypto.ts";
import { callerPhone, isRecord, parseJsonBody, text, toDate, validatePayload, type ParseResult } from "./parse-result.ts";

/**
 * True when the request carries the business's Vapi secret, either as the legacy
 * `X-Vapi-Secret` header or as a Bearer token (Vapi's newer credential-based auth).
 */
export async function verifyVapi({ headers, secret }: VerifyInput): Promise<boolean> {
  if (!secret) return false;
  const presented = [headers.get("x-vapi-secret"), bearerToken(headers)].filter((v): v is string => v !== null);
  const matches = await Promise.all(presented.map((candidate) => timingSafeEqual(candidate, secret)));
  return matches.includes(true);
}

/** The headers Vapi sends with a server message when a secret is configured. */
export async function signVapi(_rawBody: string, secret: string, _now?: Date): Promise<Record<string, string>> {
  return { "content-type": "application/json", "x-vapi-secret": secret };
}

// Only what the gateway reads; unknown fields are stripped and nulls tolerated, because Vapi
// adds fields without notice.
const phoneHolder = z.object({ number: z.string().nullish() }).nullish();

const messageSchema = z.object({
  message: z.object({
    type: z.string().min(1),
    call: z
      .object({
        id: z.string().min(1).nullish(),
        customer: phoneHolder,
        startedAt: z.string().nullish(),
        endedAt: z.string().nullish(),
      })
      .nullish(),
  }),
});

const reportSchema = z.object({
  message: z.object({
    call: z.object({ id: z.string().min(1) }),
    customer: phoneHolder,
    endedReason: z.string().nullish(),
    startedAt: z.string().nullish(),
    endedAt: z.string().nullish(),
    artifact: z.object({ transcript: z.string().nullish(), recordingUrl: z.string().nullish() }).nullish(),
    analysis: z.object({ summary: z.string().nullish(), structuredData: z.unknown().optional() }).nullish(),
    // Older payloads carry these at the top of the message.
    transcript: z.string().nullish(),
    summary: z.string().nullish(),
    recordingUrl: z.string().nullish(),
  }),
});

/** endedReason values of a call in which nobody talked to the assistant. */
const NOT_CONNECTED = [
  /did-not-answer/,
  /^customer-busy$/,
  /^voicemail$/,
  /^call\.start\.error/,
  /^pipeline-error/,
  /^twilio-failed-to-connect-call$/,
  /^vonage-failed-to-connect-call$/,
  /^customer-did-not-give-microphone-permission$/,
];

/**
 * A Vapi server message as a lead (`end-of-call-report`, keyed `vapi:<call id>`) or as an ignored
 * message keyed by its call, type and body hash (every other type: status updates, transcripts…).
 */
export function parseVapi(rawBody: string): ParseResult {
  const json = parseJsonBody(rawBody);
  const { message } = validatePayload(messageSchema, json);
  if (message.type !== "end-of-call-report") {
    const callId = message.call?.id ?? "none";
    return {
      kind: "ignored",
      idempotencyKey: `vapi:${callId}:${message.type}:${sha256Hex(rawBody).slice(0, 16)}`,
      reason: `Vapi "${message.type}" messages carry no finished call`,
    };
  }

  const report = validatePayload(reportSchema, json).message;
  const call = message.call;
  const transcript = text(report.artifact?.transcript) ?? text(report.transcript);
  const endedReason = report.endedReason ?? "";
  const structured = report.analysis?.structuredData;
  return {
    kind: "lead",
    idempotencyKey: `vapi:${report.call.id}`,
    provisional: false,
    event: {
      channel: "vapi",
      externalId: report.call.id,
      callerPhone: callerPhone(report.customer?.number ?? call?.customer?.number),
      transcript,
      summary: text(report.analysis?.summary) ?? text(report.summary),
      structuredData: isRecord(structured) ? structured : {},
      fields: {},
      source: null,
      startedAt: toDate(report.startedAt ?? call?.startedAt),
      endedAt: toDate(report.endedAt ?? call?.endedAt),
      recordingUrl: text(report.artifact?.recordingUrl) ?? text(report.recordingUrl),
      connected: transcript !== null && !NOT_CONNECTED.some((pattern) => pattern.test(endedReason)),
    },
  };
}
