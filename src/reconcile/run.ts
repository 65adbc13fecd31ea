import { eq } from "drizzle-orm";
import type { Deps, Reconciler } from "../core/deps.ts";
import { retryBackoffMs, TIMER_BACKOFF_CAP_MS } from "../core/backoff.ts";
import { businesses } from "../db/schema/index.ts";
import type { ReconcileProvider } from "../domain/reconcile-config.ts";
import { ProviderApiError } from "../adapters/reconcile/provider-api.ts";
import type { TwilioLogs } from "../adapters/reconcile/twilio-logs.ts";
import { reconcilePlan, type ReconcilePlan } from "./plan.ts";
import { pullBland, pullRetell, pullVapi } from "./pull-ai-calls.ts";
import type { PullContext } from "./pull-context.ts";
import { pullTwilio } from "./pull-twilio.ts";
import { defaultDelayMs, withRetries, type RetryPolicy } from "./retry.ts";
import { finishRun, readState, type RunResult } from "./state.ts";

const PULLERS: Record<ReconcileProvider, (ctx: PullContext) => Promise<void>> = {
  vapi: pullVapi,
  retell: pullRetell,
  bland: pullBland,
  twilio: pullTwilio,
};

/** How a run may spend its time: its timer's lease is 60 s, and it must end well inside it. */
const RUN_BUDGET_MS = 45_000;

export interface ReconcilerOptions {
  /** Tries per provider request (default 3) and the wait between them (default 0.5 s, 1 s…). */
  attempts?: number;
  delayMs?: RetryPolicy["delayMs"];
  /** The fetch provider APIs are reached with (default: the global one, read per request). */
  fetch?: typeof fetch;
  /** Twilio's logs for a plan's credentials (default: the SDK). */
  twilioLogs?: (plan: NonNullable<ReconcilePlan["twilio"]>) => TwilioLogs;
}

/**
 * The reconciler the composition root wires into the deps: one run lists the provider's calls
 * since the watermark (less the `lookBack` overlap), hands each the webhook never delivered to
 * the webhook's own path, records what it found and sets the next run: `every` later (on the
 * `every` grid, see nextOnGrid), or sooner
 * after a failure with backoff (5 s, 10 s, 20 s… core/backoff.ts, at most `every`, never before the
 * provider's Retry-After). The watermark moves only when a run completes, so a failed or
 * interrupted run loses nothing: the next one lists the same calls again, and what is in already
 * is skipped by its key. It runs on the timer machinery, never on a request: intake is not slowed.
 */
export function reconcileRunner(deps: Deps, options: ReconcilerOptions = {}): Reconciler {
  return {
    async run(timer, provider) {
      const [business] = await deps.db.select().from(businesses).where(eq(businesses.id, timer.businessId));
      if (!business) return { acted: false, reason: "business no longer exists" };
      const plan = reconcilePlan(business, deps.settings, provider);
      // Off now: the chain ends here; scheduleReconciliations starts one again if it is turned on.
      if ("off" in plan) return { acted: false, reason: `reconciliation with ${provider} is off: ${plan.off}` };

      const startedAt = deps.clock.now();
      const state = await readState(deps, business.id, provider);
      const since = new Date((state?.watermark ?? startedAt).getTime() - plan.lookBackMs);
      const policy: RetryPolicy = { attempts: options.attempts ?? 3, delayMs: options.delayMs ?? defaultDelayMs, deadline: Date.now() + RUN_BUDGET_MS };
      const ctx: PullContext = {
        deps,
        business,
        plan,
        since,
        now: startedAt,
        call: (request) => withRetries(policy, request),
        fetch: options.fetch,
        twilioLogs: options.twilioLogs,
        counts: { seen: 0, recovered: 0 },
      };

      let result: RunResult;
      try {
        await PULLERS[provider](ctx);
        result = { ok: true, ...ctx.counts, watermark: startedAt };
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        deps.logger.warn("reconciliation run failed; will retry with backoff", { business: business.slug, provider, error });
        result = { ok: false, ...ctx.counts, error, retryAfterMs: err instanceof ProviderApiError ? err.retryAfterMs : null };
      }

      await finishRun(deps, { timerId: timer.id, businessId: business.id, provider, startedAt }, result, (after) => {
        const now = deps.clock.now().getTime();
        if (result.ok) return nextOnGrid(startedAt, plan.everyMs);
        const backoff = Math.min(retryBackoffMs(after.errors, TIMER_BACKOFF_CAP_MS), plan.everyMs);
        return new Date(now + Math.max(backoff, result.retryAfterMs ?? 0));
      });
      if (ctx.counts.recovered) deps.logger.info("reconciliation recovered what no webhook delivered", { business: business.slug, provider, ...ctx.counts });
      const summary = `${provider}: ${ctx.counts.seen} seen, ${ctx.counts.recovered} recovered`;
      return { acted: ctx.counts.recovered > 0, reason: result.ok ? summary : `${summary}; failed: ${result.error}` };
    },
  };
}

/**
 * The next multiple of `every` (since the epoch) after `startedAt`. On Workers the Cron Trigger
 * fires on the same 5-minute grid: a successor due `every` after the run started would fall just
 * after the next firing and wait for the one after it, so runs would come every 10 minutes.
 */
export function nextOnGrid(startedAt: Date, everyMs: number): Date {
  return new Date(Math.floor(startedAt.getTime() / everyMs) * everyMs + everyMs);
}
