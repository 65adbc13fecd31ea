import { z } from "zod";
import { CHANNELS, normalizeSource } from "../../domain/lead.ts";
import { mapStructuredData } from "../../domain/structured-fields.ts";
import { bearerToken, timingSafeEqual, type VerifyInput } from "./crypto.ts";
import { parseJsonBody, text, validatePayload, type ParseResult } from "./parse-result.ts";

/** True when `Authorization: Bearer <token>` carries the business's intake secret. */
export async function verifyIntake({ headers, secret }: VerifyInput): Promise<boolean> {
  const token = bearerToken(headers);
  if (!secret || token === null) return false;
  return timingSafeEqual(token, secret);
}

/** The headers a generic intake sender (web form backend, automation) must send. */
export async function signIntake(_rawBody: string, secret: string, _now?: Date): Promise<Record<string, string>> {
  return { "content-type": "application/json", authorization: `Bearer ${secret}` };
}

const payloadSchema = z.object({
  externalId: z.union([z.string().trim().min(1), z.number()]).transform(String),
  transcript: z.string().nullish(),
  fields: z.record(z.string(), z.unknown()).nullish(),
  source: z.string().nullish(),
  channel: z.enum(CHANNELS).nullish(),
});

/**
 * A generic intake submission `{ externalId, transcript?, fields?, source?, channel? }` as a lead
 * keyed `intake:<externalId>`. `fields` use our lead field names and are validated like provider
 * data; an entry that is invalid or unknown is kept in `structuredData` instead of being lost, so
 * whoever maps structured data records why it was dropped.
 */
export function parseIntake(rawBody: string): ParseResult {
  const body = validatePayload(payloadSchema, parseJsonBody(rawBody));
  const rawFields = body.fields ?? {};
  const { fields } = mapStructuredData(rawFields);
  const leftOver = Object.fromEntries(
    Object.entries(rawFields).filter(([key, value]) => Object.keys(mapStructuredData({ [key]: value }).fields).length === 0),
  );
  const source = text(body.source);
  return {
    kind: "lead",
    idempotencyKey: `intake:${body.externalId}`,
    provisional: false,
    event: {
      channel: body.channel ?? "intake_api",
      externalId: body.externalId,
      callerPhone: fields.phone ?? null,
      transcript: text(body.transcript),
      summary: null,
      structuredData: leftOver,
      fields,
      source: source ? normalizeSource(source) || null : null,
      startedAt: null,
      endedAt: null,
      recordingUrl: null,
      // A submission is always something to work from, even when it is only a name and number.
      connected: true,
    },
  };
}
