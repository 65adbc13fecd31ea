import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { inboundEvents } from "../db/schema/index.ts";
import type { Deps } from "./deps.ts";
import { claimInbound, recordInbound, scopedKey } from "./inbox.ts";
import { finishAfter } from "./inbox-runner.ts";

/** A verified webhook, to be stored under its provider event key before anything happens. */
export interface InboundEvent {
  businessId: string;
  provider: string;
  key: string;
  rawBody: string;
  headers: Headers;
  now: Date;
  /** Pulled by reconciliation rather than pushed by the provider (default: a webhook). */
  origin?: "webhook" | "reconciliation";
}

/**
 * The stored row for this event: newly stored (`stored`), or an earlier one that never finished
 * (it failed, or is or was being processed). Null when the event was stored and finished before.
 */
export async function storedOrUnfinished(db: Db, event: InboundEvent): Promise<{ id: string; stored: boolean } | null> {
  const stored = await recordInbound(db, {
    businessId: event.businessId,
    provider: event.provider,
    idempotencyKey: event.key,
    rawBody: event.rawBody,
    headers: event.headers,
    now: event.now,
    origin: event.origin,
  });
  if (stored) return { id: stored, stored: true };
  const [row] = await db
    .select({ id: inboundEvents.id, status: inboundEvents.status })
    .from(inboundEvents)
    .where(and(eq(inboundEvents.idempotencyKey, scopedKey(event.businessId, event.key)), eq(inboundEvents.provider, event.provider)));
  return row && (row.status === "failed" || row.status === "processing") ? { id: row.id, stored: false } : null;
}

/**
 * Runs `work` once per event: the payload is stored before anything happens, and a redelivery of
 * a processed event does nothing. An event whose processing failed (or was abandoned by a dead
 * process) is taken up again by its redelivery, since providers such as Twilio retry rarely.
 */
export async function runOnce(
  deps: Pick<Deps, "db" | "clock">,
  event: InboundEvent,
  work: () => Promise<{ leadId?: string | null; value?: string }>,
): Promise<{ fresh: boolean; value?: string }> {
  const row = await storedOrUnfinished(deps.db, event);
  if (!row) return { fresh: false };
  // A new row is ours whatever the claim says; an old one only if no live process holds it.
  const claimed = await claimInbound(deps.db, row.id, event.now);
  if (!row.stored && !claimed) return { fresh: false };
  const result = await finishAfter(deps, row.id, async () => ({ status: "processed" as const, ...(await work()) }));
  return { fresh: true, value: result.value };
}
