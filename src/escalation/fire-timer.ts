import type { Deps } from "../core/deps.ts";
import type { TimerRow } from "../core/timer-store.ts";
import type { FireOutcome } from "./fire-outcome.ts";
import { readTimer } from "./timer-kinds.ts";

/**
 * Does the work of one timer: its kind's module (escalation/timer-kinds.ts) fires it with the
 * payload parsed by the kind's schema. Timers are wake-ups, not truth: each handler re-reads
 * (and locks) what it is about and does nothing if it moved on, so a duplicate or late delivery
 * is harmless. Throwing means "try again later" (the loop backs off; QStash retries); a kind
 * nobody knows or a payload that does not fit is refused instead, since no retry would help.
 */
export async function fireTimer(deps: Deps, timer: TimerRow): Promise<FireOutcome> {
  const read = readTimer(timer);
  let outcome: FireOutcome;
  if ("refused" in read) {
    outcome = { acted: false, reason: read.refused };
    deps.logger.warn("timer refused", { timerId: timer.id, kind: timer.kind, reason: read.refused });
  } else {
    outcome = await read.module.fire(deps, timer, read.payload);
  }
  deps.logger.info("timer fired", { timerId: timer.id, kind: timer.kind, leadId: timer.leadId, ...outcome });
  return outcome;
}
