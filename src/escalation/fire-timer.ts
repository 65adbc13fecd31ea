import type { Deps } from "../core/deps.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { runEndOfDayReview } from "./end-of-day-digest.ts";
import { escalateIncomplete } from "./escalate-incomplete.ts";
import { escalateOffer } from "./escalate-offer.ts";
import type { FireOutcome } from "./fire-outcome.ts";

/**
 * Does the work of one timer, by kind. Timers are wake-ups, not truth: each handler re-reads
 * (and locks) what it is about and does nothing if it moved on, so a duplicate or late delivery
 * is harmless. Throwing means "try again later" (the loop backs off; QStash retries).
 */
export async function fireTimer(deps: Deps, timer: TimerRow): Promise<FireOutcome> {
  let outcome: FireOutcome;
  switch (timer.kind) {
    case "escalate":
      outcome = await escalateOffer(deps, timer);
      break;
    case "incomplete":
      outcome = await escalateIncomplete(deps, timer);
      break;
    case "end-of-day":
      outcome = await runEndOfDayReview(deps, timer);
      break;
    default:
      // Not retried: no later attempt would know this kind either.
      outcome = { acted: false, reason: `unknown timer kind "${timer.kind}"` };
      deps.logger.warn("timer of an unknown kind ignored", { timerId: timer.id, kind: timer.kind });
  }
  deps.logger.info("timer fired", { timerId: timer.id, kind: timer.kind, leadId: timer.leadId, ...outcome });
  return outcome;
}
