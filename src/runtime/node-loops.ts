import type { Deps } from "../core/deps.ts";
import { runBackstop } from "./backstop.ts";
import type { Env } from "./env.ts";
import type { NodeDeps } from "./node-deps.ts";
import { localScheduler } from "../adapters/scheduler/local.ts";
import { qstashScheduler } from "../adapters/scheduler/qstash.ts";
import { qstashTimerScheduler } from "../core/qstash-timers.ts";
import { startTimerLoop } from "../core/timer-loop.ts";
import { sweepOutbox } from "../messaging/outbox-sweep.ts";
import { sweepEvents } from "../events/event-sweep.ts";
import { sweepInbox } from "../intake/inbox-sweep.ts";
import { scheduleEndOfDayReviews } from "../escalation/end-of-day-digest.ts";
import { scheduleQaReminders } from "../escalation/qa-reminder.ts";
import { scheduleShiftStarts } from "../escalation/shift-starts.ts";
import { fireTimer } from "../escalation/fire-timer.ts";
import { scheduleReconciliations } from "../reconcile/state.ts";

/** How often the timer backstop (QStash) or the end-of-day check (loop) runs. */
const TIMER_CHECK_EVERY_MS = 60_000;
/** Beside QStash, the backstop fires only what QStash has not delivered a minute after it was due. */
const QSTASH_BACKSTOP_GRACE_MS = 60_000;
/** How often stored webhooks, queued messages and event deliveries left behind are retried. */
const SWEEP_EVERY_MS = 5_000;

/**
 * Timers on QStash when QSTASH_TOKEN is set, otherwise on the built-in loop (CONTRACT §1); sets
 * `deps.scheduler`. Either way, what came due while the gateway was down fires once it is back:
 * the loop fires overdue timers as it starts; beside QStash a backstop sweep does.
 */
function startTimers(env: Env, deps: Deps): { stop(): Promise<void> } {
  const every = (name: string, task: () => Promise<unknown>) => {
    const handle = setInterval(() => deps.background.defer(name, async () => void (await task())), TIMER_CHECK_EVERY_MS);
    handle.unref();
    return handle;
  };
  if (env.QSTASH_TOKEN) {
    if (!env.PUBLIC_URL) {
      throw new Error("QSTASH_TOKEN is set but PUBLIC_URL is not: QStash delivers timers to <PUBLIC_URL>/webhooks/qstash.");
    }
    if (!env.QSTASH_CURRENT_SIGNING_KEY) {
      deps.logger.warn("QSTASH_CURRENT_SIGNING_KEY is not set: QStash deliveries are refused (401) and timers fire only through the backstop, a minute late.");
    }
    deps.scheduler = qstashTimerScheduler(deps.db, qstashScheduler({ token: env.QSTASH_TOKEN, baseUrl: env.QSTASH_URL, publicUrl: env.PUBLIC_URL }));
    const backstop = every("timer backstop", () => runBackstop(deps, { graceMs: QSTASH_BACKSTOP_GRACE_MS }));
    return { stop: async () => clearInterval(backstop) };
  }
  const loop = startTimerLoop({ db: deps.db, clock: deps.clock, logger: deps.logger, fire: async (timer) => void (await fireTimer(deps, timer)) });
  deps.scheduler = localScheduler(loop);
  // A business applied while running gets its first end-of-day review, and its first
  // reconciliation run, without a restart.
  const reviews = every("schedule end-of-day reviews, QA reminders and shift starts", async () => {
    await scheduleEndOfDayReviews(deps);
    await scheduleQaReminders(deps);
    await scheduleShiftStarts(deps);
  });
  const reconciliations = every("schedule reconciliations", () => scheduleReconciliations(deps));
  return {
    async stop() {
      clearInterval(reviews);
      clearInterval(reconciliations);
      await loop.stop();
    },
  };
}

/** What a Node process runs beside its requests or its claims, and how to stop it. */
export interface NodeLoops {
  /** Stops the sweeps, new event attempts and the timers (waiting for firings in flight). */
  stop(): Promise<void>;
}

/**
 * Starts what every Node process runs on its deps (the server and each `handoff worker`; all of
 * it is safe with several processes on one PostgreSQL: SKIP LOCKED claims and leases): the timers
 * (`startTimers`), the first scheduling of reviews, reminders, shift starts and reconciliations,
 * and every SWEEP_EVERY_MS the inbox, outbox and events sweeps. Call it after the database holds
 * what the schedulers should see (the demo business). With `intakeClaimLoop` (a worker) the
 * inbox sweep leaves never-tried intake rows to that loop.
 */
export function startNodeLoops(env: Env, node: NodeDeps, opts: { intakeClaimLoop?: boolean } = {}): NodeLoops {
  const { deps, eventLane } = node;
  const timers = startTimers(env, deps);
  deps.background.defer("schedule end-of-day reviews", () => scheduleEndOfDayReviews(deps));
  deps.background.defer("schedule QA reminders", () => scheduleQaReminders(deps));
  deps.background.defer("schedule shift starts", () => scheduleShiftStarts(deps));
  // Due at once: calls that ended while the gateway was down are looked for as soon as it is up.
  deps.background.defer("schedule reconciliations", async () => void (await scheduleReconciliations(deps)));

  // Webhooks stored but not processed (a crash after the 2xx, a failed extraction), messages
  // left queued, customer texts whose quiet hours ended and sends abandoned mid-way (lease
  // expired) are retried here; inbox and outbox claims keep each to one effect.
  let sweepingEvents = false;
  const sweep = (outboxAge: number) => {
    deps.background.defer("sweep inbox", async () => void (await sweepInbox(deps, { untriedClaimed: opts.intakeClaimLoop })));
    deps.background.defer("sweep outbox", async () => void (await sweepOutbox(deps, outboxAge)));
    // One events sweep at a time: against a dead receiver a sweep can outlast the interval.
    if (!sweepingEvents) {
      sweepingEvents = true;
      eventLane.defer("sweep events", async () => {
        try {
          await sweepEvents(deps, 100, node.eventsKeepGoing);
        } finally {
          sweepingEvents = false;
        }
      });
    }
  };
  const sweeper = setInterval(() => sweep(SWEEP_EVERY_MS), SWEEP_EVERY_MS);
  sweeper.unref();
  sweep(0);

  return {
    async stop() {
      clearInterval(sweeper);
      node.stopEvents();
      await timers.stop();
    },
  };
}
