import { eq } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { claimDelivery, nextInLine, stillClaimed, type DeliveryRow } from "../core/event-claim.ts";
import { recordEvent, transact } from "../core/transact.ts";
import { postSigned, type PostResult } from "../adapters/webhooks/standard-webhooks.ts";
import { businesses, eventDeliveries } from "../db/schema/index.ts";
import type { ConnectorResult } from "./connectors/connector-links.ts";
import { connectorOf, runConnector } from "./connectors/run-connector.ts";
import { connectorBudgetMs, DELIVERY_TIMEOUT_MS, nextAttemptAt, RETRY_SCHEDULE_MS } from "../domain/outbound-event.ts";

/** What one attempt came to; the row is the durable state, this only says whether to go on. */
export type EventOutcome =
  | { kind: "skipped" }
  | { kind: "delivered"; row: DeliveryRow }
  | { kind: "retry"; row: DeliveryRow; at: Date }
  | { kind: "failed"; row: DeliveryRow };

/**
 * One attempt at one delivery: claim it (or skip it: not due, held by another sender, waiting
 * behind an earlier event of its lead), sign and POST it to the subscription as it is configured
 * now, and record what came of it. The retry schedule decides when the next attempt is due; when
 * it is spent the delivery is `failed`. A final outcome goes on the lead's timeline.
 */
export async function deliverEvent(deps: Deps, id: string): Promise<EventOutcome> {
  const claimed = await claimDelivery(deps.db, id, deps.clock.now());
  if (!claimed) return { kind: "skipped" };
  const [business] = await deps.db.select().from(businesses).where(eq(businesses.id, claimed.businessId));
  const config = business?.config;
  const timeoutMs = deps.settings.outboundEvents?.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  let sub: unknown = null;
  let result: PostResult | ConnectorResult | null = null;
  const connector = connectorOf(claimed.webhookId);
  if (connector) {
    result = await runConnector(deps, connector, claimed, config, { timeoutMs, budgetMs: connectorBudgetMs(timeoutMs) });
    sub = result;
  } else {
    const webhook = config?.webhooks?.find((w) => w.id === claimed.webhookId);
    sub = webhook ?? null;
    if (webhook) result = await postSigned({ url: webhook.url, secret: webhook.secret, id: claimed.id, timestamp: deps.clock.now(), body: claimed.body, timeoutMs });
  }
  const at = deps.clock.now();
  if (result?.ok) return finish(deps, claimed, at, { kind: "delivered", status: result.status, detail: "detail" in result ? result.detail : undefined });
  const error = result ? result.error : `"${claimed.webhookId}" is no longer in the business config`;
  // A subscription removed from the config will never take it: failed at once, not retried for a day.
  const next = sub ? nextAttemptAt(claimed.attempts, at, deps.settings.outboundEvents?.retryScheduleMs ?? RETRY_SCHEDULE_MS) : null;
  const status = result && !result.ok ? result.status : null;
  if (next) {
    const row = await transact(deps, async (work) => {
      const [row] = await work.tx
        .update(eventDeliveries)
        .set({ nextAttemptAt: next, lockedUntil: null, lastStatus: status, lastError: error, updatedAt: at })
        .where(stillClaimed(claimed))
        .returning();
      // A connector's every failed attempt goes on the timeline: until one succeeds the lead is
      // not in the business's job system or CRM, which the owner should see. A webhook's do not
      // (eight attempts at each of ten events would bury the lead's history); the log has them.
      if (row?.leadId && connector) {
        await recordEvent(work, row.leadId, "connector_attempt_failed", "system", {
          deliveryId: row.id,
          webhookId: row.webhookId,
          event: row.eventType,
          attempts: row.attempts,
          status,
          error,
          nextAttemptAt: next.toISOString(),
        });
      }
      return row;
    });
    return row ? { kind: "retry", row, at: next } : { kind: "skipped" };
  }
  return finish(deps, claimed, at, { kind: "failed", status, error });
}

/** Ends a delivery (delivered, or failed for good) and notes it on the lead's timeline, in one transaction. */
async function finish(
  deps: Deps,
  claimed: DeliveryRow,
  at: Date,
  end: { kind: "delivered"; status: number; detail?: Record<string, string> } | { kind: "failed"; status: number | null; error: string },
): Promise<EventOutcome> {
  const delivered = end.kind === "delivered";
  const row = await transact(deps, async (work) => {
    const [row] = await work.tx
      .update(eventDeliveries)
      .set({
        status: delivered ? "delivered" : "failed",
        lockedUntil: null,
        lastStatus: end.status,
        lastError: delivered ? null : end.error,
        deliveredAt: delivered ? at : null,
        updatedAt: at,
      })
      .where(stillClaimed(claimed))
      .returning();
    if (row?.leadId) {
      await recordEvent(work, row.leadId, delivered ? "webhook_delivered" : "webhook_failed", "system", {
        deliveryId: row.id,
        webhookId: row.webhookId,
        event: row.eventType,
        attempts: row.attempts,
        status: end.status,
        ...(end.kind === "failed" && { error: end.error }),
        ...(end.kind === "delivered" && end.detail && { made: end.detail }),
      });
    }
    return row;
  });
  if (!row) return { kind: "skipped" };
  return delivered ? { kind: "delivered", row } : { kind: "failed", row };
}

/**
 * Attempts `ids` in order and, after each that ends, the next event of the same lead and
 * subscription that was waiting behind it, so a backlog drains in order as soon as the receiver
 * answers instead of one event per sweep. Stops before the next attempt once `keepGoing` says so.
 */
export async function deliverEvents(deps: Deps, ids: string[], keepGoing: () => boolean = () => true): Promise<number> {
  let attempted = 0;
  for (const first of ids) {
    let id: string | null = first;
    // A process shutting down makes no new attempts; what it leaves is due and the sweep takes it.
    while (id && keepGoing()) {
      const outcome = await deliverEvent(deps, id);
      if (outcome.kind !== "skipped") attempted++;
      id = outcome.kind === "delivered" || outcome.kind === "failed" ? await nextInLine(deps.db, outcome.row, deps.clock.now()) : null;
    }
  }
  return attempted;
}
