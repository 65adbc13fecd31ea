import { and, eq } from "drizzle-orm";
import type { Work } from "../core/transact.ts";
import type { BusinessRow } from "../core/records.ts";
import { outboundMessages } from "../db/schema/index.ts";
import { isOutboxStatus, type MessagePurpose, type OutboxStatus } from "../domain/outbox-message.ts";

/** Outbox purposes that put a lead in front of someone who must accept it (a call takes the answer by keypad). */
export const OFFER_PURPOSES: readonly MessagePurpose[] = ["offer", "escalation"];

export type OutboxRow = typeof outboundMessages.$inferSelect;

// How far along a message is; a late callback ("sent" after "delivered") never moves it back.
// Every status has its rank here, or this does not compile. Twilio's inbound-only statuses and
// partially_delivered rank 0, as unknown statuses always did: a callback never moves a row to them.
const PROGRESS: Record<OutboxStatus, number> = {
  receiving: 0, received: 0, partially_delivered: 0,
  queued: 1, accepted: 1, scheduled: 1, initiated: 1,
  sending: 2, ringing: 2,
  sent: 3, "in-progress": 3, "dry-run": 3,
  delivered: 4, undelivered: 4, failed: 4, read: 5, completed: 4, busy: 4, "no-answer": 4, canceled: 4, suppressed: 4,
};

/** Statuses that mean the message never reached its recipient on that channel. */
const SMS_FAILED: ReadonlySet<OutboxStatus> = new Set(["failed", "undelivered"]);
// Only a call that could not be placed counts as failed; "no-answer" and "busy" are left to the
// escalation timer, since the member may have read the text that went with the call.
const CALL_FAILED: ReadonlySet<OutboxStatus> = new Set(["failed"]);

/** A status the provider reported, as applied to its outbox row. */
export interface AppliedStatus {
  message: OutboxRow;
  /** The new status, lower-cased. */
  status: OutboxStatus;
  /** "Twilio error <code>" when the provider gave one. */
  reason: string | null;
  /** The message did not reach its recipient on this channel. */
  failed: boolean;
}

/**
 * Records a provider's status callback on the outbox row with that provider id (ErrorCode as the
 * reason), inside `work`. `unknown` when no row matched, `stale` when the row is already further
 * along (a late "sent" after "delivered") or the status is none the outbox knows (it would
 * rank below every known one, so it never moved a row).
 */
export async function applyDeliveryStatus(
  work: Work,
  input: { business: BusinessRow; providerId: string; status: string; errorCode: string | null },
): Promise<AppliedStatus | "unknown" | "stale"> {
  const [message] = await work.tx
    .select()
    .from(outboundMessages)
    .where(and(eq(outboundMessages.businessId, input.business.id), eq(outboundMessages.providerId, input.providerId)))
    .for("update");
  if (!message) return "unknown";
  const status = input.status.toLowerCase();
  // `?? 0`: the row's own status may be one no list has (written by hand or by an older build).
  if (!isOutboxStatus(status) || PROGRESS[status] <= (PROGRESS[message.status] ?? 0)) return "stale";

  const reason = input.errorCode ? `Twilio error ${input.errorCode}` : null;
  await work.tx
    .update(outboundMessages)
    .set({ status, statusReason: reason ?? message.statusReason, updatedAt: work.now })
    .where(eq(outboundMessages.id, message.id));
  const failed = message.channel === "sms" ? SMS_FAILED.has(status) : CALL_FAILED.has(status);
  return { message, status, reason, failed };
}
