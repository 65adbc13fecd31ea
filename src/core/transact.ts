import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { leadEvents, outboundMessages, timers } from "../db/schema/index.ts";
import type { Deps } from "./deps.ts";
import type { TimerWakeUp } from "../adapters/scheduler/scheduler.ts";
import { boundedKey } from "./inbox.ts";
import type { LeadEventType } from "../domain/lead-event.ts";
import { OUTBOUND_EVENT_OF } from "../domain/outbound-event.ts";
import { writeOutboundEvents, type AnnouncedEvent } from "./outbound-events.ts";
import type { MessageChannel, MessagePurpose } from "../domain/outbox-message.ts";
import type { TimerKind, TimerOfKind } from "../domain/timers/index.ts";

/** What a transaction decided to do to the world once it commits. */
export interface Effects {
  messages: string[];
  timers: TimerWakeUp[];
  /** Outbound events announced by recordEvent; written to the events outbox as the transaction ends. */
  events: AnnouncedEvent[];
  /** History entries recorded but not yet inserted: written in one statement by flushHistory. */
  history: (typeof leadEvents.$inferInsert)[];
  /**
   * Soft state written once the transaction has committed, each write an autocommit statement of
   * its own (member-stats.ts: the round-robin memory). A row lock taken inside the transaction
   * would be held until its commit, and every lead of the business routed to the same member at
   * that moment would queue behind it. Written inside the transaction instead when something in
   * it reads that state (flushSoftState). Lost, harmlessly, if the process dies between the
   * commit and the write: it only steers who is offered next.
   */
  soft: ((db: Db) => Promise<void>)[];
}

/** A unit of work: one transaction, its clock reading, and the effects it queues. */
export interface Work {
  tx: Tx;
  deps: Deps;
  now: Date;
  fx: Effects;
}

/**
 * Runs `body` in one transaction; after it commits, sends the outbox rows it wrote and hands
 * its timers to the scheduler (in the background: the response need not wait for Twilio).
 * Sending goes through `deps.outbox`, wired by the composition root: this helper knows nothing
 * of what a failed send leads to.
 */
export async function transact<T>(deps: Deps, body: (work: Work) => Promise<T>): Promise<T> {
  const fx: Effects = { messages: [], timers: [], events: [], history: [], soft: [] };
  const now = deps.clock.now();
  let deliveries: string[] = [];
  const result = await deps.db.transaction(async (tx) => {
    const work = { tx, deps, now, fx };
    const value = await body(work);
    await flushHistory(work);
    deliveries = await writeOutboundEvents(tx, now, fx.events);
    return value;
  });
  for (const write of fx.soft) {
    await write(deps.db).catch((err) => deps.logger.warn("a write after commit failed (round-robin memory)", { error: String(err) }));
  }
  const urgent = { urgent: true };
  if (fx.messages.length) deps.background.defer("deliver outbox", () => deps.outbox.deliver(fx.messages), urgent);
  // Not on deps.background: a slow receiver must never hold a slot that a text or an extraction needs.
  if (deliveries.length) deps.events.deliver(deliveries);
  for (const timer of fx.timers) deps.background.defer("schedule timer", () => deps.scheduler.schedule(timer), urgent);
  return result;
}

/**
 * Appends to a lead's history (inserted with the transaction's other entries by flushHistory),
 * and announces the change to the business's webhooks when the entry is one they can subscribe
 * to (domain/outbound-event.ts OUTBOUND_EVENT_OF): every entry passes here, so no change can be
 * recorded without its event.
 */
export async function recordEvent(
  work: Work,
  leadId: string,
  type: LeadEventType,
  actor: string,
  detail: Record<string, unknown> = {},
  /** More of the outbound event's `data` beside the lead (the review of a `qa.reviewed`). */
  data?: Record<string, unknown>,
): Promise<void> {
  work.fx.history.push({ leadId, at: work.now, type, actor, detail });
  const outbound = OUTBOUND_EVENT_OF[type];
  if (outbound) work.fx.events.push({ leadId, type: outbound, ...(data && { data }) });
}

/** Writes the soft state deferred so far inside the transaction (once): for a read in it that needs it. */
export async function flushSoftState(work: Work): Promise<void> {
  for (const write of work.fx.soft.splice(0)) await write(work.tx);
}

/**
 * Inserts the history entries recorded so far, in the order recorded, in one statement: a lead's
 * intake records two or more, and each was a round trip of its own (issue 16). Runs as the
 * transaction ends, and before anything in it reads lead_events (merge-lead, missed-call,
 * escalate-incomplete call it first), so a read never misses an entry of its own transaction.
 */
export async function flushHistory(work: Work): Promise<void> {
  if (!work.fx.history.length) return;
  const entries = work.fx.history.splice(0);
  await work.tx.insert(leadEvents).values(entries);
}

export interface QueuedMessage {
  businessId: string;
  leadId: string | null;
  memberId?: string | null;
  to: string;
  channel: MessageChannel;
  body: string;
  purpose: MessagePurpose;
  /** Unique per intended message: the same key twice queues (and sends) once. */
  key: string;
  /** Hold the send until then (quiet hours); the outbox sweep sends it when due. */
  sendAfter?: Date | null;
}

/**
 * Writes an outbox row; it is sent after commit (or, when held, by the sweep once `sendAfter`
 * passes). A key seen before queues nothing. Texts to customers go through `textCustomer`
 * (messaging/notify.ts), which applies quiet hours.
 */
export async function queueMessage(work: Work, message: QueuedMessage): Promise<string | null> {
  const [row] = await work.tx
    .insert(outboundMessages)
    .values({
      businessId: message.businessId,
      leadId: message.leadId,
      memberId: message.memberId ?? null,
      to: message.to,
      channel: message.channel,
      body: message.body,
      purpose: message.purpose,
      idempotencyKey: boundedKey(message.key),
      sendAfter: message.sendAfter ?? null,
      createdAt: work.now,
      updatedAt: work.now,
    })
    .onConflictDoNothing({ target: outboundMessages.idempotencyKey })
    .returning({ id: outboundMessages.id });
  const held = message.sendAfter && message.sendAfter.getTime() > work.now.getTime();
  if (row && !held) work.fx.messages.push(row.id);
  return row?.id ?? null;
}

/**
 * A wake-up to set: a kind with a payload of that kind, and the key built by the kind's own key
 * builder (domain/timers/), so the same intended firing always gets the same key.
 */
export type TimerRequest = TimerOfKind & { businessId: string; leadId: string | null; dueAt: Date; key: string };

/** Inserts a wake-up for a lead; the scheduler is told after commit. Same key twice: one timer. */
export async function scheduleTimer(work: Work, timer: TimerRequest): Promise<void> {
  const [row] = await work.tx
    .insert(timers)
    .values({
      businessId: timer.businessId,
      leadId: timer.leadId,
      kind: timer.kind,
      dedupeKey: boundedKey(timer.key),
      dueAt: timer.dueAt,
      payload: timer.payload,
      createdAt: work.now,
    })
    .onConflictDoNothing({ target: timers.dedupeKey })
    .returning({ id: timers.id });
  if (row) work.fx.timers.push({ timerId: row.id, dueAt: timer.dueAt, dedupeKey: boundedKey(timer.key) });
}

/** Pending timers of a lead stop mattering once it is accepted or closed; mark them canceled. */
export async function cancelLeadTimers(work: Work, leadId: string, kinds?: TimerKind[]): Promise<void> {
  await work.tx
    .update(timers)
    .set({ status: "canceled" })
    .where(
      and(
        eq(timers.leadId, leadId),
        eq(timers.status, "pending"),
        kinds ? inArray(timers.kind, kinds) : undefined,
      ),
    );
}
