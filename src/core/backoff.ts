/** How long a failed piece of durable work (an inbound event, a timer) waits before its next try. */

/**
 * 5 s, doubling with each attempt, up to `capMs`. Each queue picks its cap: an inbound event
 * may call an LLM, so it backs off further than a timer, whose lateness a customer feels.
 */
export function retryBackoffMs(attempts: number, capMs: number): number {
  return Math.min(5_000 * 2 ** Math.max(attempts - 1, 0), capMs);
}

/** An inbound event that keeps failing is retried until done, at most every 15 minutes. */
export const INBOX_BACKOFF_CAP_MS = 15 * 60_000;

/** A timer that keeps failing is retried at most every 5 minutes. */
export const TIMER_BACKOFF_CAP_MS = 5 * 60_000;
