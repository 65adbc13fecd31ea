import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { timers } from "../db/schema/timers.ts";
import type { Clock } from "../adapters/clock/clock.ts";
import type { Logger } from "../adapters/logger.ts";
import { retryBackoffMs, TIMER_BACKOFF_CAP_MS } from "./backoff.ts";

/**
 * The timers table as a leased queue: PostgreSQL (or PGlite) is the queue. `FOR UPDATE SKIP
 * LOCKED` plus a lease makes each due timer fire once however many processes claim, and a timer
 * whose process died mid-fire is claimed again when its lease runs out. The loop that sleeps
 * until the next due time is timer-loop.ts; a QStash delivery and the cron backstop claim here too.
 */

export type TimerRow = typeof timers.$inferSelect;

export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_MAX_BATCH = 20;
/** 5 s, 10 s, 20 s … capped at 5 min: a broken firing keeps being retried, never silently dropped. */
export function defaultRetryBackoffMs(attempts: number): number {
  return retryBackoffMs(attempts, TIMER_BACKOFF_CAP_MS);
}

export type Sleeper = ReturnType<typeof setTimeout>;

/** A timer that does not keep a Node process alive on its own (Workers have no `unref`). */
export function unrefTimeout(fn: () => void, ms: number): Sleeper {
  const handle = setTimeout(fn, ms);
  if (typeof handle === "object" && handle !== null && "unref" in handle) handle.unref();
  return handle;
}

/** Whether a timer row can be claimed: pending and due by `dueBy`, or abandoned mid-fire by a dead process. */
function claimable(now: Date, dueBy: Date) {
  return or(
    and(eq(timers.status, "pending"), lte(timers.dueAt, dueBy)),
    // A process that died mid-fire: its lease ran out (or, hand-edited, it never had one).
    and(eq(timers.status, "firing"), or(lt(timers.lockedUntil, now), isNull(timers.lockedUntil))),
  );
}

/**
 * Claims up to `maxBatch` timers due by `dueBy` (default: now) in one short transaction and
 * leases them to the caller until now + leaseMs. `FOR UPDATE SKIP LOCKED` keeps concurrent
 * claimers (other loops, a QStash delivery, a cron backstop) from taking the same row.
 */
export async function claimDueTimers(
  db: Db,
  now: Date,
  options: { leaseMs?: number; maxBatch?: number; dueBy?: Date } = {},
): Promise<TimerRow[]> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: timers.id })
      .from(timers)
      .where(claimable(now, options.dueBy ?? now))
      .orderBy(asc(timers.dueAt))
      .limit(options.maxBatch ?? DEFAULT_MAX_BATCH)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(timers)
      .set({ status: "firing", lockedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${timers.attempts} + 1` })
      .where(inArray(timers.id, due.map((row) => row.id)))
      .returning();
  });
}

/**
 * Claims one named timer (a QStash delivery names its timer) under the same lease discipline as
 * the loop. Null when it is not claimable: already fired or canceled, held by a live lease, or
 * not due by `dueBy`.
 */
export async function claimTimer(db: Db, id: string, now: Date, options: { leaseMs?: number; dueBy?: Date } = {}): Promise<TimerRow | null> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const [row] = await db
    .update(timers)
    .set({ status: "firing", lockedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${timers.attempts} + 1` })
    .where(and(eq(timers.id, id), claimable(now, options.dueBy ?? now)))
    .returning();
  return row ?? null;
}

export interface FireContext {
  db: Db;
  clock: Clock;
  logger: Logger;
  fire: (timer: TimerRow) => Promise<void>;
  leaseMs?: number;
  retryBackoffMs?: (attempts: number) => number;
}

/**
 * Runs `fire` for a claimed timer within its lease and records the outcome: fired, or back to
 * pending (due again after the backoff) when it threw. Resolves with the error, or null.
 */
export async function fireClaimed(context: FireContext, timer: TimerRow): Promise<unknown> {
  const { db, clock, logger } = context;
  const leaseMs = context.leaseMs ?? DEFAULT_LEASE_MS;
  const backoff = context.retryBackoffMs ?? defaultRetryBackoffMs;
  // Our claim, unless the lease ran out and another process took the timer over since.
  const stillOurs = and(eq(timers.id, timer.id), eq(timers.status, "firing"), eq(timers.attempts, timer.attempts));
  let failure: unknown = null;
  try {
    await withDeadline(context.fire(timer), leaseMs);
  } catch (error) {
    failure = error ?? new Error("fire failed");
  }
  try {
    const now = clock.now();
    if (failure === null) {
      await db.update(timers).set({ status: "fired", firedAt: now, lockedUntil: null }).where(stillOurs);
      return null;
    }
    const retryAt = new Date(now.getTime() + backoff(timer.attempts));
    await db.update(timers).set({ status: "pending", dueAt: retryAt, lockedUntil: null }).where(stillOurs);
    logger.error("timer fire failed; will retry", {
      timerId: timer.id,
      kind: timer.kind,
      attempts: timer.attempts,
      retryAt: retryAt.toISOString(),
      error: String(failure),
    });
  } catch (error) {
    // The lease still protects the timer: it will be claimed again when it runs out.
    logger.error("timer outcome not recorded; the lease will expire", { timerId: timer.id, error: String(error) });
  }
  return failure;
}

/**
 * One pass without a loop (a Workers Cron Trigger, a backstop sweep): claims and fires every
 * timer due by `dueBy` (default now), batch after batch. Resolves with how many were fired.
 */
export async function runDueOnce(context: FireContext & { maxBatch?: number; dueBy?: Date }): Promise<number> {
  const maxBatch = context.maxBatch ?? DEFAULT_MAX_BATCH;
  let handled = 0;
  for (;;) {
    const batch = await claimDueTimers(context.db, context.clock.now(), { leaseMs: context.leaseMs, maxBatch, dueBy: context.dueBy });
    await Promise.all(batch.map((timer) => fireClaimed(context, timer)));
    handled += batch.length;
    if (batch.length < maxBatch) return handled;
  }
}

/** Rejects when `promise` outlives `ms`, so a hung `fire` cannot stall the loop past its lease. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = unrefTimeout(() => reject(new Error(`fire did not settle within the ${ms} ms lease`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The earliest moment a timer might become claimable: a pending due time or a lease end. */
export async function nextWakeAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({
      at: sql<Date | null>`min(case when ${timers.status} = 'pending' then ${timers.dueAt} else ${timers.lockedUntil} end)`.mapWith(
        timers.dueAt,
      ),
    })
    .from(timers)
    .where(inArray(timers.status, ["pending", "firing"]));
  return row?.at ?? null;
}
