import { Receiver } from "@upstash/qstash";

/** What a QStash delivery brings that the signature check needs. */
export interface QstashVerifyInput {
  /** The request body exactly as received (the signature covers its SHA-256). */
  rawBody: string;
  /** The `Upstash-Signature` header. */
  signature: string | null | undefined;
  /** The URL QStash was asked to call (`sub` claim), e.g. `<PUBLIC_URL>/webhooks/qstash`. */
  url: string;
  currentSigningKey: string | undefined;
  /** During a key rotation QStash may sign with the next key; missing means only the current one. */
  nextSigningKey?: string | undefined;
  /** Seconds of clock difference tolerated on `nbf`/`exp`. */
  clockToleranceSeconds?: number;
}

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Whether a request really comes from QStash for this URL and body: the SDK's Receiver checks
 * the HS256 JWT with the current, then the next signing key. False on any failure; never throws.
 */
export async function verifyQstash(input: QstashVerifyInput): Promise<boolean> {
  const { rawBody, signature, url, currentSigningKey } = input;
  if (!signature || !currentSigningKey) return false;
  // Both keys always given and dev mode off: otherwise the SDK falls back to QSTASH_* variables
  // of its own, which would let the environment change what this check accepts.
  const receiver = new Receiver({
    currentSigningKey,
    nextSigningKey: input.nextSigningKey || currentSigningKey,
    devMode: false,
  });
  try {
    return await receiver.verify({
      signature,
      body: rawBody,
      url,
      clockTolerance: input.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    });
  } catch {
    return false;
  }
}
