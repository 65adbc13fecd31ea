import type { Clock } from "../adapters/clock/clock.ts";
import type { Logger } from "../adapters/logger.ts";
import type { Db } from "../db/client.ts";
import {
  claimDueTimers,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_BATCH,
  defaultRetryBackoffMs,
  fireClaimed,
  nextWakeAt,
  unrefTimeout,
  type Sleeper,
  type TimerRow,
} from "./timer-store.ts";

/**
 * The built-in timer loop over the timer store (timer-store.ts). Any number of processes may run
 * one against the same database; `FOR UPDATE SKIP LOCKED` plus a lease makes each due timer fire
 * once, and a timer whose process died mid-fire is claimed again when its lease runs out.
 * The loop sleeps until the next due time (never longer than `maxSleepMs`) instead of polling.
 */

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

const DEFAULT_MAX_SLEEP_MS = 60_000;
/** Sleep after a round that found something "due" it could not claim (locked by a peer right now). */
const CONTENDED_SLEEP_MS = 200;
/** Sleep after the database failed, so an outage is not hammered. */
const ERROR_SLEEP_MS = 5_000;

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
        const next = await nextWakeAt(db);
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

