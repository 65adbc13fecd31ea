import twilio from "twilio";
import { sayTwiml } from "./twiml.ts";
import { silentLogger, type Logger } from "../logger.ts";
import type { OutboxStatus } from "../../domain/outbox-message.ts";
import { SendRejectedError, SendUnavailableError, type Messaging, type OutboundSend, type SendResult } from "./messaging.ts";
import { fetchHttpClient } from "./twilio-fetch-client.ts";

/** Twilio's code for "the recipient replied STOP": the number must be marked opted out. */
export const TWILIO_OPTED_OUT = 21610;

export interface TwilioMessagingOptions {
  accountSid: string;
  authToken: string;
  logger?: Logger;
  /** Retries after the first attempt on 429 and 5xx (default 3). */
  maxRetries?: number;
  /** First backoff; doubles on each retry (default 500 ms). Tests pass 1. */
  baseDelayMs?: number;
  /**
   * Send the SDK's requests with `fetch` instead of its default axios + node:https client.
   * Meant for Cloudflare Workers; Node keeps the SDK's own client unless told otherwise.
   */
  useFetch?: boolean;
}

/** Sends SMS and places calls through the official Twilio SDK, retrying only what is safe to retry. */
export function twilioMessaging({
  accountSid,
  authToken,
  logger = silentLogger,
  maxRetries = 3,
  baseDelayMs = 500,
  useFetch = false,
}: TwilioMessagingOptions): Messaging {
  // The SDK's own autoRetry covers 429 only and hides each attempt from our logs, so the
  // loop below owns retries and the SDK makes exactly one request per call.
  const client = twilio(accountSid, authToken, {
    autoRetry: false,
    ...(useFetch ? { httpClient: fetchHttpClient() } : {}),
  });

  async function attempt(message: OutboundSend, from: string): Promise<{ sid: string; status: OutboxStatus }> {
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
    lookup: (message, since) => findAccepted(client, message, since),
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
          // 429 is never processed (Twilio's word). A 5xx very rarely hides a created message,
          // and the Messages API takes no idempotency key: one retry-caused duplicate beats a
          // lost offer.
          const transient = status === 429 || status >= 500;
          if (!transient) {
            throw new SendRejectedError(messageOf(err, status), { status, code, moreInfo, optedOut: code === TWILIO_OPTED_OUT });
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

/** Twilio's clock and ours may differ a little; look this much further back. */
const LOOKUP_SKEW_MS = 60_000;

/**
 * The message or call Twilio already created for `message` since `since`, if any. The Messages and
 * Calls APIs take no idempotency key, so after a crash between Twilio's 2xx and our update this
 * lookup is the only way to avoid a second send: same To, From and (for a text) body, created
 * after the abandoned attempt began. A text Twilio accepted but has not yet sent has no DateSent
 * and is not found, so it is sent again: the remaining at-least-once window (docs/reliability.md).
 */
async function findAccepted(client: twilio.Twilio, message: OutboundSend, since: Date): Promise<SendResult | null> {
  if (!message.from) return null;
  const after = new Date(since.getTime() - LOOKUP_SKEW_MS);
  if (message.channel === "sms") {
    const texts = await client.messages.list({ to: message.to, from: message.from, dateSentAfter: after, limit: 50 });
    const same = texts.find((m) => m.body === message.body);
    return same ? { status: same.status, providerId: same.sid } : null;
  }
  const calls = await client.calls.list({ to: message.to, from: message.from, limit: 20 });
  const same = calls.find((c) => c.dateCreated && c.dateCreated.getTime() >= after.getTime());
  return same ? { status: same.status, providerId: same.sid } : null;
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
