import { ProviderApiError } from "../adapters/reconcile/provider-api.ts";

/** How a run retries one provider request: a few quick tries, within the run's deadline. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before try `attempt + 1` (attempt counts from 1), given the provider's Retry-After if any. */
  delayMs(attempt: number, retryAfterMs: number | null): number;
  /** Past this instant (epoch ms) nothing more is tried: the run must end within its timer's lease. */
  deadline: number;
}

/** 0.5 s, then 1 s, 2 s…; a Retry-After is honoured up to 10 s (a longer wait is the next run's). */
export const defaultDelayMs = (attempt: number, retryAfterMs: number | null) => Math.min(retryAfterMs ?? 500 * 2 ** (attempt - 1), 10_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one provider request, trying again after a 429, a 5xx or a network failure. What still
 * fails is thrown: the run records it and sets its successor sooner, with backoff.
 */
export async function withRetries<T>(policy: RetryPolicy, request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (Date.now() > policy.deadline) throw new ProviderApiError("reconcile", "the run ran out of time; the next run goes on from where this one could not", null, true);
    try {
      return await request();
    } catch (err) {
      const retryable = err instanceof ProviderApiError ? err.retryable : false;
      if (!retryable || attempt >= policy.attempts) throw err;
      const wait = policy.delayMs(attempt, err instanceof ProviderApiError ? err.retryAfterMs : null);
      if (Date.now() + wait > policy.deadline) throw err;
      await sleep(wait);
    }
  }
}
