import type { LeadRow } from "../core/records.ts";
import { recordEvent, type Work } from "../core/transact.ts";

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
