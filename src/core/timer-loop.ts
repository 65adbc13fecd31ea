import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { timers } from "../db/schema/timers.ts";
import type { Clock } from "../adapters/clock/clock.ts";
import type { Logger } from "../adapters/logger.ts";

/**
 * The built-in timer loop: PostgreSQL (or PGlite) is the queue. Any number of processes may run
 * one against the same database; `FOR UPDATE SKIP LOCKED` plus a lease makes each due timer fire
 * once, and a timer whose process died mid-fire is claimed again when its lease runs out.
 * The loop sleeps until the next due time (never longer than `maxSleepMs`) instead of polling.
 */

export type TimerRow = typeof timers.$inferSelect;

export interface TimerLoop {
  /** A timer due at `dueAt` was just inserted: wake up early if it is due before the next wake-up. */
  notify(dueAt: Date): void;
  /** Stops sleeping, waits for firings in flight, and ends the loop. */
  stop(): Promise<void>;
  /** Claims and fires everything due now; resolves with how many timers were handed to `fire`. */
  runDue(): Promise<number>;
}

export interface TimerLoopOptions {
  db: Db;
  clock: Clock;
  /** Does the work of one timer; throwing puts it back to pending with a backoff. */
  fire: (timer: TimerRow) => Promise<void>;
  logger: Logger;
  /** How long a claimed timer belongs to this process before another may take it over. */
  leaseMs?: number;
  /** Timers claimed (and fired concurrently) per round trip. */
  maxBatch?: number;
  /** The longest sleep, so a timer inserted without `notify` (another process) is still seen. */
  maxSleepMs?: number;
  /** Delay before a failed timer is tried again, by attempt number (1 after the first failure). */
  retryBackoffMs?: (attempts: number) => number;
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_MAX_BATCH = 20;
const DEFAULT_MAX_SLEEP_MS = 60_000;
/** Sleep after a round that found something "due" it could not claim (locked by a peer right now). */
const CONTENDED_SLEEP_MS = 200;
/** Sleep after the database failed, so an outage is not hammered. */
const ERROR_SLEEP_MS = 5_000;

/** 5 s, 10 s, 20 s … capped at 5 min: a broken firing keeps being retried, never silently dropped. */
export function defaultRetryBackoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}

type Sleeper = ReturnType<typeof setTimeout>;

/** A timer that does not keep a Node process alive on its own (Workers have no `unref`). */
function unrefTimeout(fn: () => void, ms: number): Sleeper {
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

/** Starts the loop: it fires what is already due (missed during downtime) right away. */
export function startTimerLoop(options: TimerLoopOptions): TimerLoop {
  const { db, clock, fire, logger } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const maxSleepMs = options.maxSleepMs ?? DEFAULT_MAX_SLEEP_MS;
  const backoff = options.retryBackoffMs ?? defaultRetryBackoffMs;

  let stopped = false;
  /** Set by notify while the loop is awake, so a timer inserted mid-round is not slept through. */
  let rerun = false;
  let sleep: { handle: Sleeper; wakeAt: number; wake: () => void } | null = null;

  const fireOne = (timer: TimerRow) => fireClaimed({ db, clock, logger, fire, leaseMs, retryBackoffMs: backoff }, timer);

  /** Rounds in flight (the loop's own and callers'), so stop() can wait for their firings. */
  const inFlight = new Set<Promise<number>>();

  function runDue(): Promise<number> {
    const round = drain().finally(() => inFlight.delete(round));
    inFlight.add(round);
    return round;
  }

  async function drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const batch = await claimDueTimers(db, clock.now(), { leaseMs, maxBatch });
      await Promise.all(batch.map(fireOne));
      handled += batch.length;
      if (batch.length < maxBatch || stopped) return handled;
    }
  }

  /** The earliest moment something might become claimable: a pending due time or a lease end. */
  async function nextWakeAt(): Promise<Date | null> {
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

  function sleepFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        if (sleep) clearTimeout(sleep.handle);
        sleep = null;
        resolve();
      };
      sleep = { handle: unrefTimeout(wake, ms), wakeAt: Date.now() + ms, wake };
    });
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      rerun = false;
      let delay: number;
      try {
        const roundStart = clock.now().getTime();
        const handled = await runDue();
        const next = await nextWakeAt();
        // Due before this round began, yet nothing was claimed: a peer holds the row this very
        // instant. Look again shortly instead of spinning. (Something that came due during the
        // round, or a wake-up a millisecond early, is simply claimed on the next pass.)
        const contended = handled === 0 && next !== null && next.getTime() <= roundStart;
        const untilNext = next ? next.getTime() - clock.now().getTime() : maxSleepMs;
        delay = contended ? CONTENDED_SLEEP_MS : Math.max(0, Math.min(untilNext, maxSleepMs));
      } catch (error) {
        logger.error("timer loop round failed", { error: String(error) });
        delay = ERROR_SLEEP_MS;
      }
      if (stopped) break;
      if (rerun) continue;
      await sleepFor(delay);
    }
  }

  const running = loop();

  return {
    notify(dueAt) {
      if (stopped) return;
      if (!sleep) {
        rerun = true;
        return;
      }
      // Convert the due time to a real-time wake-up through the clock's current offset.
      const inMs = dueAt.getTime() - clock.now().getTime();
      if (Date.now() + inMs < sleep.wakeAt) {
        const wake = sleep.wake;
        if (inMs <= 0) wake();
        else {
          clearTimeout(sleep.handle);
          sleep.handle = unrefTimeout(wake, inMs);
          sleep.wakeAt = Date.now() + inMs;
        }
      }
    },
    async stop() {
      stopped = true;
      sleep?.wake();
      await running;
      await Promise.allSettled([...inFlight]);
    },
    runDue,
  };
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
