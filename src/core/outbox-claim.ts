import { and, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { outboundMessages } from "../db/schema/index.ts";

/**
 * Claiming an outbox row for sending, leased the way timers are (src/core/timer-loop.ts):
 * a claim moves the row to `sending` until `locked_until`; a row still `sending` past its lease
 * belonged to a process that died (or lost its database) mid-send and may be claimed again.
 */

export type MessageRow = typeof outboundMessages.$inferSelect;

/**
 * How long a claimed send belongs to its sender. It outlasts the longest a send can take (the
 * Twilio adapter makes at most 4 attempts of at most 30 s each, plus a few seconds of backoff),
 * so a live sender is never overtaken and only a dead one's rows are taken over.
 */
export const SEND_LEASE_MS = 5 * 60_000;

/**
 * A queued row due by `now` (not held by quiet hours), or a send whose sender's lease ran out.
 * Never a row the provider has taken (it has a provider id): Twilio's own statuses include
 * `queued` and `sending`, which a send or a status callback writes on the row, and those mean
 * "Twilio has it", not "still ours to send".
 */
export function claimableMessage(now: Date) {
  return and(
    isNull(outboundMessages.providerId),
    or(
      and(eq(outboundMessages.status, "queued"), or(isNull(outboundMessages.sendAfter), lte(outboundMessages.sendAfter, now))),
      // A row left `sending` by a dead process; a null lease is a row claimed before leases existed.
      and(eq(outboundMessages.status, "sending"), or(isNull(outboundMessages.lockedUntil), lt(outboundMessages.lockedUntil, now))),
    ),
  );
}

export interface ClaimedMessage {
  message: MessageRow;
  /**
   * The row was taken over from a sender that never recorded an outcome: the provider may
   * already have it, so the deliverer asks before sending again.
   */
  takenOver: boolean;
  /**
   * When the abandoned attempt began, to bound the provider lookup: its claim after a crash, or
   * the moment a request that got no answer failed (it began at most one 30 s timeout earlier,
   * inside the lookup's minute of clock skew).
   */
  abandonedSince: Date | null;
}

/**
 * Claims one row for sending: queued → sending, or an expired `sending` lease taken over.
 * Conditional on the attempt count it read, so of two claimers at most one wins.
 */
export async function claimMessage(db: Db, id: string, now: Date, leaseMs = SEND_LEASE_MS): Promise<ClaimedMessage | null> {
  const [seen] = await db.select().from(outboundMessages).where(and(eq(outboundMessages.id, id), claimableMessage(now)));
  if (!seen) return null;
  const [message] = await db
    .update(outboundMessages)
    .set({
      status: "sending",
      attempts: sql`${outboundMessages.attempts} + 1`,
      lockedUntil: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    })
    .where(and(eq(outboundMessages.id, id), eq(outboundMessages.attempts, seen.attempts), claimableMessage(now)))
    .returning();
  if (!message) return null;
  const takenOver = seen.status === "sending";
  return { message, takenOver, abandonedSince: takenOver ? seen.updatedAt : null };
}

/** Matches the row only while this claim still holds it (no later claim took it over). */
export const stillClaimed = (message: MessageRow) =>
  and(eq(outboundMessages.id, message.id), eq(outboundMessages.status, "sending"), eq(outboundMessages.attempts, message.attempts));

/**
 * On the embedded database only this process sends (the data directory is locked), so rows left
 * `sending` belong to a process that died: end their leases now rather than in five minutes.
 */
export async function releaseAbandonedSends(db: Db, now: Date): Promise<number> {
  const rows = await db
    .update(outboundMessages)
    .set({ lockedUntil: new Date(now.getTime() - 1) })
    .where(eq(outboundMessages.status, "sending"))
    .returning({ id: outboundMessages.id });
  return rows.length;
}
