import type { Deps } from "../core/deps.ts";
import { lockLeadIfExists } from "../core/lead-lock.ts";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { recordEvent, transact, type Work } from "../core/transact.ts";

/**
 * What a timer firing did: `acted` when it changed the world, otherwise why it left the lead
 * alone (it moved on, the firing was a duplicate, the ladder is over…).
 */
export interface FireOutcome {
  acted: boolean;
  reason: string;
  level?: number;
}

/** A firing that left the lead alone, and why. */
export const skip = (reason: string): FireOutcome => ({ acted: false, reason });

/** The climb is over: recorded once, nothing sent. */
export async function stopClimb(work: Work, lead: LeadRow, level: number, reason: string): Promise<FireOutcome> {
  await recordEvent(work, lead.id, "escalation_stopped", "system", { level, reason });
  return { acted: false, reason, level };
}

/**
 * The start every lead timer shares: in one transaction, the timer's lead under its row lock,
 * handed to `body`; a skip when the timer names no lead or the lead is gone. What `body` does
 * first is re-read the lead and decide whether it moved on.
 */
export async function onTimerLead(
  deps: Deps,
  timer: TimerRow,
  body: (work: Work, lead: LeadRow, business: BusinessRow) => Promise<FireOutcome>,
): Promise<FireOutcome> {
  const leadId = timer.leadId;
  if (!leadId) return skip("timer names no lead");
  return transact(deps, async (work) => {
    const found = await lockLeadIfExists(work, leadId);
    if (!found) return skip("lead no longer exists");
    return body(work, found.lead, found.business);
  });
}
