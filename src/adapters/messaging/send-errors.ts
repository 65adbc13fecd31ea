/** How a send fails, as the outbox sender tells a permanent refusal from a retryable one. */

/** Twilio's code for "the recipient replied STOP": the number must be marked opted out. */
export const TWILIO_OPTED_OUT = 21610;

/**
 * Twilio refused this send for good (a 4xx: opted out, invalid number, unverified trial
 * recipient…). Retrying cannot help; the caller records the message as suppressed or failed.
 */
export class SendRejectedError extends Error {
  /** HTTP status from Twilio; null when the send was refused before reaching Twilio. */
  readonly status: number | null;
  /** Twilio's error code (21610, 21211…), when it gave one. */
  readonly code: number | null;
  /** Twilio's link explaining the code. */
  readonly moreInfo: string | null;

  constructor(message: string, details: { status: number | null; code: number | null; moreInfo?: string | null }) {
    super(message);
    this.name = "SendRejectedError";
    this.status = details.status;
    this.code = details.code;
    this.moreInfo = details.moreInfo ?? null;
  }

  /** The recipient opted out (STOP): record it so nothing is texted to them again. */
  get optedOut(): boolean {
    return this.code === TWILIO_OPTED_OUT;
  }
}

/**
 * Twilio kept answering 429 or 5xx until the attempts ran out. The send may be retried
 * later (the outbox row stays pending); for 429 Twilio guarantees nothing was sent.
 */
export class SendUnavailableError extends Error {
  readonly status: number;
  readonly code: number | null;
  readonly attempts: number;

  constructor(message: string, details: { status: number; code: number | null; attempts: number }) {
    super(message);
    this.name = "SendUnavailableError";
    this.status = details.status;
    this.code = details.code;
    this.attempts = details.attempts;
  }
}
