import type { Deps } from "../core/deps.ts";
import { claimReceivedInbound, type ClaimedInboundRow } from "../core/inbox.ts";
import { AI_PROVIDERS, processClaimedInbound } from "./process-intake.ts";

/**
 * The `handoff worker` claim loop: stored AI-intake webhooks, oldest first, `concurrency` at a
 * time. It claims only as many rows as it has free slots, so a claimed row starts at once and
 * never waits out its lease in a local queue. After a full batch it claims again as soon as a
 * slot frees; after a short one (nothing else waiting) it sleeps `pollMs`. Any number of
 * workers may run it on one database (SKIP LOCKED: each row goes to one of them). Rows tried
 * before (failed, abandoned, waiting for an analysis) are left to the inbox sweep's backoff.
 */
export interface IntakeClaimLoop {
  /** Stops claiming, waits for the rows in flight to finish, and ends the loop. */
  stop(): Promise<void>;
  /** Rows this loop has finished (processed or failed) so far. */
  finished(): number;
}

export interface IntakeClaimLoopOptions {
  /** Rows processed at once. */
  concurrency: number;
  /** Sleep when the last claim found fewer rows than free slots. */
  pollMs?: number;
}

/** The idle poll: a lead stored while every worker sleeps waits at most this long to be claimed. */
export const INTAKE_POLL_MS = 50;
/** Sleep after a claim failed (the database is away), so an outage is not hammered. */
const CLAIM_ERROR_SLEEP_MS = 1_000;

export function startIntakeClaimLoop(deps: Deps, options: IntakeClaimLoopOptions): IntakeClaimLoop {
  const { concurrency } = options;
  const pollMs = options.pollMs ?? INTAKE_POLL_MS;
  const running = new Set<Promise<void>>();
  let stopped = false;
  let finished = 0;
  let failing = false;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  const start = (row: ClaimedInboundRow, claimedAt: Date) => {
    const task: Promise<void> = processClaimedInbound(deps, row, claimedAt)
      .catch((err) => deps.logger.warn("inbound processing failed; will retry", { id: row.id, provider: row.provider, error: String(err) }))
      .finally(() => {
        finished++;
        running.delete(task);
      });
    running.add(task);
  };

  async function loop(): Promise<void> {
    while (!stopped) {
      const free = concurrency - running.size;
      if (free <= 0) {
        await Promise.race(running);
        continue;
      }
      let claimed: number;
      try {
        const now = deps.clock.now();
        const rows = await claimReceivedInbound(deps.db, AI_PROVIDERS, free, now);
        // Also when stop() came meanwhile: claimed rows are finished, not left to the lease.
        rows.forEach((row) => start(row, now));
        claimed = rows.length;
        if (failing) deps.logger.info("intake claims work again");
        failing = false;
      } catch (err) {
        if (!failing) deps.logger.error("intake claim failed; retrying every second", { error: String(err) });
        failing = true;
        await sleep(CLAIM_ERROR_SLEEP_MS);
        continue;
      }
      if (claimed < free && !stopped) await sleep(pollMs);
    }
  }

  const looping = loop();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await looping;
      while (running.size) await Promise.allSettled([...running]);
    },
    finished: () => finished,
  };
}
