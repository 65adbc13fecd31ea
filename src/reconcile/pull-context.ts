import { and, eq, inArray } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { scopedKey } from "../core/inbox.ts";
import type { BusinessRow } from "../core/records.ts";
import { inboundEvents } from "../db/schema/index.ts";
import type { TwilioLogs } from "../adapters/reconcile/twilio-logs.ts";
import type { ReconcilePlan } from "./plan.ts";

/** What one run of one provider works with, and what it has counted so far. */
export interface PullContext {
  deps: Deps;
  business: BusinessRow;
  plan: ReconcilePlan;
  /** Calls from here on are listed: the watermark less the overlap (`lookBack`). */
  since: Date;
  now: Date;
  /** One provider request, retried on 429, 5xx and network failures within the run's deadline. */
  call<T>(request: () => Promise<T>): Promise<T>;
  /** The fetch provider APIs are reached with (the global one unless a test or runtime says). */
  fetch?: typeof fetch;
  /** Twilio's logs for the plan's credentials. */
  twilioLogs?: (plan: NonNullable<ReconcilePlan["twilio"]>) => TwilioLogs;
  /** Listed and belonging to the business; of those, stored by this run (no webhook had come). */
  counts: { seen: number; recovered: number };
}

/** Headers stored with an event reconciliation pulled, saying where it came from (for support). */
export const pulledHeaders = (provider: string) => new Headers({ "x-handoff-origin": `reconciliation:${provider}` });

/** Which of these provider event keys the business's inbox already holds (from either path). */
export async function knownKeys(ctx: PullContext, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const scoped = new Map(keys.map((k) => [scopedKey(ctx.business.id, k), k]));
  const known = new Set<string>();
  // In slices, so a busy run does not build one enormous IN list.
  const all = [...scoped.keys()];
  for (let i = 0; i < all.length; i += 500) {
    const rows = await ctx.deps.db
      .select({ key: inboundEvents.idempotencyKey })
      .from(inboundEvents)
      .where(and(eq(inboundEvents.businessId, ctx.business.id), inArray(inboundEvents.idempotencyKey, all.slice(i, i + 500))));
    for (const row of rows) known.add(scoped.get(row.key)!);
  }
  return known;
}
