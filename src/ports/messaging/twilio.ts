import twilio from "twilio";
import { sayTwiml } from "../../domain/twiml.ts";
import { silentLogger, type Logger } from "../logger.ts";
import type { Messaging, OutboundSend, SendResult } from "./messaging.ts";

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

export interface TwilioMessagingOptions {
  accountSid: string;
  authToken: string;
  logger?: Logger;
  /** Retries after the first attempt on 429 and 5xx (default 3). */
  maxRetries?: number;
  /** First backoff; doubles on each retry (default 500 ms). Tests pass 1. */
  baseDelayMs?: number;
}

/** Sends SMS and places calls through the official Twilio SDK, retrying only what is safe to retry. */
export function twilioMessaging({
  accountSid,
  authToken,
  logger = silentLogger,
  maxRetries = 3,
  baseDelayMs = 500,
}: TwilioMessagingOptions): Messaging {
  // The SDK's own autoRetry covers 429 only and hides each attempt from our logs, so the
  // loop below owns retries and the SDK makes exactly one request per call.
  const client = twilio(accountSid, authToken, { autoRetry: false });

  async function attempt(message: OutboundSend, from: string): Promise<{ sid: string; status: string }> {
    const statusCallback = message.statusCallback ?? undefined;
    if (message.channel === "sms") {
      return client.messages.create({ to: message.to, from, body: message.body, statusCallback });
    }
    return client.calls.create({
      to: message.to,
      from,
      twiml: message.twiml ?? sayTwiml(message.body),
      statusCallback,
    });
  }

  return {
    name: "twilio",
    async send(message: OutboundSend): Promise<SendResult> {
      const from = message.from;
      if (!from) {
        throw new SendRejectedError(`business ${message.businessSlug} has no number to send from`, {
          status: null,
          code: null,
        });
      }
      for (let tries = 1; ; tries++) {
        try {
          const created = await attempt(message, from);
          return { status: created.status, providerId: created.sid };
        } catch (err) {
          const { status, code, moreInfo } = twilioFailure(err);
          // No HTTP status: a network or SDK error. Twilio may or may not have the request,
          // so it is not retried here; the caller's outbox decides.
          if (status === null) throw err;
          const transient = status === 429 || status >= 500;
          if (!transient) {
            throw new SendRejectedError(messageOf(err, status), { status, code, moreInfo });
          }
          if (tries > maxRetries) {
            throw new SendUnavailableError(`Twilio still answered ${status} after ${tries} attempts`, {
              status,
              code,
              attempts: tries,
            });
          }
          const delayMs = backoff(baseDelayMs, tries);
          logger.warn("twilio send retry", { messageId: message.messageId, channel: message.channel, status, code, delayMs });
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
      }
    },
  };
}

/** Exponential backoff with jitter, so a burst of sends does not retry in lockstep. */
function backoff(baseDelayMs: number, tries: number): number {
  const ceiling = baseDelayMs * 2 ** (tries - 1);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Status and code from the SDK's RestException or TwilioServiceException (both carry numeric
 * `status` and `code`); axios network errors carry a string `code` and no status.
 */
function twilioFailure(err: unknown): { status: number | null; code: number | null; moreInfo: string | null } {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; moreInfo?: unknown };
  return {
    status: typeof e.status === "number" ? e.status : null,
    code: typeof e.code === "number" ? e.code : null,
    moreInfo: typeof e.moreInfo === "string" ? e.moreInfo : null,
  };
}

function messageOf(err: unknown, status: number): string {
  return err instanceof Error && err.message ? err.message : `Twilio refused the send (HTTP ${status})`;
}
