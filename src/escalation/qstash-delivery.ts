import { eq } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { finishInbound, recordInbound } from "../core/inbox.ts";
import { claimTimer, fireClaimed } from "../core/timer-store.ts";
import { timers } from "../db/schema/index.ts";
import { fireTimer } from "./fire-timer.ts";
import type { FireOutcome } from "./fire-outcome.ts";

/** A QStash delivery this early (our clock against theirs) is still taken as due. */
export const QSTASH_EARLY_TOLERANCE_MS = 60_000;

export type DeliveryResult =
  | { status: "fired"; outcome: FireOutcome }
  | { status: "duplicate" | "unknown-timer" | "not-claimable"; detail?: string }
  | { status: "failed"; error: string };

/**
 * A verified QStash delivery of `{ timerId }`: stored under its Upstash-Message-Id, then the timer
 * is claimed (pending → firing, leased, exactly as the loop claims) and fired. A redelivery finds
 * the timer fired and does nothing; after a failed firing the timer is pending again, so QStash's
 * retry (same message id) fires it.
 */
export async function deliverQstashTimer(
  deps: Deps,
  delivery: { messageId: string; timerId: string; rawBody: string; headers: Headers },
): Promise<DeliveryResult> {
  const now = deps.clock.now();
  const [timer] = await deps.db.select().from(timers).where(eq(timers.id, delivery.timerId));
  const inboundId = await recordInbound(deps.db, {
    businessId: timer?.businessId ?? null,
    provider: "qstash",
    idempotencyKey: `qstash:${delivery.messageId}`,
    rawBody: delivery.rawBody,
    headers: delivery.headers,
    now,
  });
  const finish = async (result: DeliveryResult): Promise<DeliveryResult> => {
    if (inboundId) {
      const failed = result.status === "failed";
      await finishInbound(deps.db, inboundId, { status: failed ? "failed" : "processed", error: failed ? result.error : undefined, now: deps.clock.now() });
    }
    return result;
  };
  if (!timer) return finish({ status: "unknown-timer" });

  const claimed = await claimTimer(deps.db, timer.id, now, { dueBy: new Date(now.getTime() + QSTASH_EARLY_TOLERANCE_MS) });
  if (!claimed) {
    if (!inboundId) return { status: "duplicate" };
    // Already fired or canceled (another delivery, the backstop), or held by a live lease.
    return finish({ status: "not-claimable", detail: timer.status === "pending" ? "not due yet" : `timer is ${timer.status}` });
  }
  let outcome: FireOutcome | null = null;
  const failure = await fireClaimed(
    {
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      fire: async (t) => void (outcome = await fireTimer(deps, t)),
      // QStash retries the delivery itself; the timer is claimable again at once.
      retryBackoffMs: () => 0,
    },
    claimed,
  );
  if (failure !== null || !outcome) return finish({ status: "failed", error: String(failure) });
  return finish({ status: "fired", outcome });
}
