import { and, eq, gt, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { eventDeliveries } from "../db/schema/index.ts";

/**
 * Claiming an outbound event delivery, leased like the message outbox (core/outbox-claim.ts):
 * a claim counts the attempt and holds the row until `locked_until`; a row still held past its
 * lease belonged to a sender that died mid-attempt and may be claimed again (at least once).
 */

export type DeliveryRow = typeof eventDeliveries.$inferSelect;

/** Outlasts an attempt (15 s timeout) with room to record it, so a live sender is never overtaken. */
export const EVENT_LEASE_MS = 60_000;

/**
 * Due, pending, not held by a live sender, and the first of its lead's events still pending for
 * its subscription: a later event waits while an earlier one is pending (in order per lead and
 * subscription); a `failed` or `delivered` one no longer holds it back. Written in SQL with the
 * table named, since the subquery reads the same table.
 */
export function claimableDelivery(now: Date) {
  return and(
    eq(eventDeliveries.status, "pending"),
    lte(eventDeliveries.nextAttemptAt, now),
    or(isNull(eventDeliveries.lockedUntil), lt(eventDeliveries.lockedUntil, now)),
    sql`not exists (select 1 from event_deliveries earlier
      where earlier.lead_id = event_deliveries.lead_id and earlier.webhook_id = event_deliveries.webhook_id
        and earlier.seq < event_deliveries.seq and earlier.status = 'pending')`,
  );
}

/**
 * Claims one delivery for an attempt. One conditional update: of two claimers at most one
 * matches (the second re-reads the row after the first commits and finds it held).
 */
export async function claimDelivery(db: Db, id: string, now: Date, leaseMs = EVENT_LEASE_MS): Promise<DeliveryRow | null> {
  const [row] = await db
    .update(eventDeliveries)
    .set({
      attempts: sql`${eventDeliveries.attempts} + 1`,
      lockedUntil: new Date(now.getTime() + leaseMs),
      lastAttemptAt: now,
      updatedAt: now,
    })
    .where(and(eq(eventDeliveries.id, id), claimableDelivery(now)))
    .returning();
  return row ?? null;
}

/** Matches the row only while this claim still holds it (no later claim took it over). */
export const stillClaimed = (row: DeliveryRow) =>
  and(eq(eventDeliveries.id, row.id), eq(eventDeliveries.status, "pending"), eq(eventDeliveries.attempts, row.attempts));

/** The next delivery of the same lead and subscription, now that `row` no longer holds it back. */
export async function nextInLine(db: Db, row: DeliveryRow, now: Date): Promise<string | null> {
  if (!row.leadId) return null;
  const [next] = await db
    .select({ id: eventDeliveries.id })
    .from(eventDeliveries)
    .where(and(eq(eventDeliveries.leadId, row.leadId), eq(eventDeliveries.webhookId, row.webhookId), claimableDelivery(now)))
    .orderBy(eventDeliveries.seq)
    .limit(1);
  return next?.id ?? null;
}

/**
 * On the embedded database only this process delivers (the data directory is locked), so an
 * attempt still holding its lease belongs to a process that died: end those leases now rather
 * than a minute from now. The attempt counted stays counted (the receiver may have had it).
 */
export async function releaseAbandonedAttempts(db: Db, now: Date): Promise<number> {
  const rows = await db
    .update(eventDeliveries)
    .set({ lockedUntil: new Date(now.getTime() - 1) })
    .where(and(eq(eventDeliveries.status, "pending"), gt(eventDeliveries.lockedUntil, now)))
    .returning({ id: eventDeliveries.id });
  return rows.length;
}
