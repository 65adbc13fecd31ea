import type { LeadEventType } from "./lead-event.ts";

/** The events a business can subscribe to (CONTRACT §13). */
export const OUTBOUND_EVENT_TYPES = [
  "lead.created",
  "lead.offered",
  "lead.accepted",
  "lead.rejected",
  "lead.reassigned",
  "lead.escalated",
  "lead.next_action",
  "lead.updated",
  "lead.closed",
  "qa.reviewed",
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/**
 * Which entry in a lead's history is announced as which outbound event. Every history entry is
 * written through one function (core/transact.ts recordEvent), which reads this table, so no
 * call site can forget to announce a change; a new kind of entry is one more row here. Entries absent here (message statuses, deferrals)
 * are internal bookkeeping and announce nothing.
 */
export const OUTBOUND_EVENT_OF: Partial<Record<LeadEventType, OutboundEventType>> = {
  created: "lead.created",
  offered: "lead.offered",
  accepted: "lead.accepted",
  rejected: "lead.rejected",
  reassigned: "lead.reassigned",
  escalated: "lead.escalated",
  fields_updated: "lead.updated",
  // The same caller called again and their open lead took the new details.
  merged: "lead.updated",
  closed: "lead.closed",
  // After acceptance (CONTRACT §9): the next action set or moved; a note added.
  next_action: "lead.next_action",
  note: "lead.updated",
  // The weekly QA review (CONTRACT §12); its body carries the review beside the lead.
  qa_reviewed: "qa.reviewed",
};

/** Where an outbound event delivery stands (CONTRACT §13). */
export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The waits between attempts (CONTRACT §13): the first attempt runs right after the commit, then
 * one retry after each of these; when the last retry fails the delivery is `failed`.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

/** A receiver has this long to answer with a 2xx; longer counts as a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 15 * SECOND;

/**
 * A connector's attempt makes several calls, each with the timeout; together they get three
 * timeouts (45 s), so the attempt ends well inside its 60 s lease and no sweeper takes the
 * delivery over while it is still creating things. What it made by then is stored; the retry
 * continues from there.
 */
export const connectorBudgetMs = (timeoutMs: number) => 3 * timeoutMs;

/**
 * When the next attempt is due after `attempts` attempts failed, or null when the schedule is
 * spent and the delivery has failed for good.
 */
export function nextAttemptAt(attempts: number, failedAt: Date, schedule: readonly number[] = RETRY_SCHEDULE_MS): Date | null {
  const wait = schedule[attempts - 1];
  return wait === undefined ? null : new Date(failedAt.getTime() + wait);
}
