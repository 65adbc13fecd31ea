import type { Scheduler } from "./scheduler.ts";

/**
 * Timers on the built-in loop (Node without QSTASH_TOKEN). The timers row is the whole schedule:
 * the caller inserted it before calling schedule(), so all that is left is to wake the loop in
 * case this timer is due before the loop's next planned wake-up.
 */
export function localScheduler(loop: { notify(dueAt: Date): void }): Scheduler {
  return {
    name: "local",
    async schedule(timer) {
      loop.notify(timer.dueAt);
    },
    // Nothing to undo here: a firing re-reads the lead and does nothing once it moved on, so a
    // timer that outlives its reason costs one read. Callers that want the row gone may mark it
    // canceled themselves; the loop only claims pending timers.
    async cancel() {},
  };
}
