import { Client, QstashError } from "@upstash/qstash";
import type { Scheduler, TimerWakeUp } from "./scheduler.ts";

/**
 * Timers delivered by QStash (Workers, or Node with QSTASH_TOKEN): each wake-up is one delayed
 * publish of `{ timerId }` to `<publicUrl>/webhooks/qstash`. Delivery is at-least-once; the
 * webhook re-reads the timer and the lead, so a duplicate or late delivery is harmless.
 */

export interface QstashSchedulerOptions {
  token: string;
  /** QStash API base URL (QSTASH_URL); defaults to the public service. */
  baseUrl?: string;
  /** The gateway's externally visible base URL (PUBLIC_URL). */
  publicUrl: string;
  /** How many times QStash retries a delivery our webhook failed. */
  retries?: number;
}

export interface QstashScheduler extends Scheduler {
  /** Publishes the wake-up and resolves with QStash's message id, for timers.external_id. */
  publishTimer(timer: TimerWakeUp): Promise<string>;
}

export const QSTASH_DEFAULT_URL = "https://qstash.upstash.io";
const DEFAULT_RETRIES = 3;
const MAX_DEDUPLICATION_ID_LENGTH = 100;

/** The webhook QStash calls back; the signature's `sub` claim must equal this exact URL. */
export function qstashWebhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/webhooks/qstash`;
}

/** FNV-1a, 32 bits, hex: a short stable tag, not a security measure. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/**
 * A deduplication id QStash accepts, made from a timer's dedupe key. QStash documents no
 * character set for it and it travels as a header value, so keep to letters, digits, `-`, `_`
 * and `.`. When anything had to be replaced or cut, a hash of the original keeps two different
 * keys from collapsing into one id ("a:b" and "a_b" stay distinct).
 */
export function qstashDeduplicationId(dedupeKey: string): string {
  const safe = dedupeKey.replace(/[^A-Za-z0-9_.-]/g, "_");
  if (safe === dedupeKey && safe.length <= MAX_DEDUPLICATION_ID_LENGTH) return safe;
  return `${safe.slice(0, MAX_DEDUPLICATION_ID_LENGTH - 9)}-${shortHash(dedupeKey)}`;
}

/** A Scheduler that publishes each wake-up to QStash. */
export function qstashScheduler(options: QstashSchedulerOptions): QstashScheduler {
  const client = new Client({
    token: options.token,
    // Always explicit, so QSTASH_* variables read by the SDK itself cannot redirect it.
    baseUrl: options.baseUrl ?? QSTASH_DEFAULT_URL,
    devMode: false,
    enableTelemetry: false,
  });
  const url = qstashWebhookUrl(options.publicUrl);
  const retries = options.retries ?? DEFAULT_RETRIES;

  async function publishTimer(timer: TimerWakeUp): Promise<string> {
    const response = await client.publishJSON({
      url,
      body: { timerId: timer.timerId },
      // Rounded up: QStash counts whole seconds, and a wake-up that arrives before its due time
      // would find the lead's window still open and do nothing.
      notBefore: Math.ceil(timer.dueAt.getTime() / 1000),
      deduplicationId: qstashDeduplicationId(timer.dedupeKey),
      retries,
    });
    return response.messageId;
  }

  return {
    name: "qstash",
    publishTimer,
    async schedule(timer) {
      await publishTimer(timer);
    },
    async cancel(timer) {
      if (!timer.externalId) return;
      try {
        // delete() (deprecated in the SDK for cancel()) is used because it does not parse the
        // response body, which QStash may leave empty.
        await client.messages.delete(timer.externalId);
      } catch (error) {
        // Already delivered or unknown: nothing left to cancel.
        if (error instanceof QstashError && error.status === 404) return;
        throw error;
      }
    },
  };
}
