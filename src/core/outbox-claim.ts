import { and, eq, getTableColumns, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { businesses, optOuts, outboundMessages } from "../db/schema/index.ts";
import type { BusinessRow } from "./records.ts";

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
  /** The message's business (slug and numbers for the send), read by the claim itself; null if gone. */
  business: BusinessRow | null;
  /** The recipient's opt-out record at this business, if any. */
  optOut: { optedOut: boolean; keyword: string | null } | null;
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
 * One statement (issue 16: it was two, and the deliverer then read the business and the opt-out
 * in two more): `seen` is the row as it was, which says whether this is a takeover, and the
 * update is conditional on the attempt count it read, so of two claimers at most one wins (the
 * second re-reads the row after the first commits and finds it no longer claimable).
 */
export async function claimMessage(db: Db, id: string, now: Date, leaseMs = SEND_LEASE_MS): Promise<ClaimedMessage | null> {
  const seen = db
    .select({
      id: outboundMessages.id,
      status: outboundMessages.status,
      attempts: outboundMessages.attempts,
      updatedAt: outboundMessages.updatedAt,
      businessId: outboundMessages.businessId,
      to: outboundMessages.to,
    })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.id, id), claimableMessage(now)))
    .as("seen");
  const [row] = await db
    .update(outboundMessages)
    .set({
      status: "sending",
      attempts: sql`${outboundMessages.attempts} + 1`,
      lockedUntil: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    })
    .from(seen)
    .leftJoin(businesses, eq(businesses.id, seen.businessId))
    .leftJoin(optOuts, and(eq(optOuts.businessId, seen.businessId), eq(optOuts.phone, seen.to)))
    .where(and(eq(outboundMessages.id, seen.id), eq(outboundMessages.attempts, seen.attempts), claimableMessage(now)))
    .returning({
      message: getTableColumns(outboundMessages),
      business: getTableColumns(businesses),
      optedOut: optOuts.optedOut,
      keyword: optOuts.keyword,
      seenStatus: seen.status,
      seenUpdatedAt: seen.updatedAt,
    });
  if (!row) return null;
  const takenOver = row.seenStatus === "sending";
  return {
    message: row.message,
    business: row.business,
    optOut: row.optedOut === null ? null : { optedOut: row.optedOut, keyword: row.keyword },
    takenOver,
    abandonedSince: takenOver ? row.seenUpdatedAt : null,
  };
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
