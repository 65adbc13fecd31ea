import { eq } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { recordEvent } from "../core/transact.ts";
import { leads } from "../db/schema/index.ts";
import { reassignNotTakenNotice } from "../domain/copy/follow-up-notices.ts";
import { reassignWindowTimer, type ReassignWindowPayload } from "../domain/timers/index.ts";
import { memberById, textMembers } from "../messaging/notify.ts";
import { onTimerLead, skip, type FireOutcome } from "./fire-outcome.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/**
 * A reassignment's offeree let the window pass: the offer lapses and the lead stays with its
 * owner, who is told (CONTRACT §9: nothing goes back to intake). Nothing happens if they answered,
 * or the lead was reassigned again or closed since.
 */
export async function expireReassignment(deps: Deps, timer: TimerRow, payload: ReassignWindowPayload): Promise<FireOutcome> {
  return onTimerLead(deps, timer, async (work, lead, business) => {
    if (lead.pendingOwnerId !== payload.to || lead.pendingOfferedAt?.getTime() !== Date.parse(payload.offeredAt)) {
      return skip("the reassignment was answered or replaced");
    }
    await work.tx
      .update(leads)
      .set({ pendingOwnerId: null, pendingOfferedAt: null, pendingReason: null, updatedAt: work.now })
      .where(eq(leads.id, lead.id));
    await recordEvent(work, lead.id, "reassign_expired", "system", { to: payload.to, offeredAt: payload.offeredAt });
    const owner = memberById(business.config, lead.ownerId);
    const offeree = memberById(business.config, payload.to);
    if (owner) {
      await textMembers(work, business, [owner], {
        body: reassignNotTakenNotice({ code: lead.code, to: offeree?.name ?? payload.to, reason: null }),
        purpose: "reassign-not-taken",
        leadId: lead.id,
        key: `reassign-expired:${lead.id}:${Date.parse(payload.offeredAt)}`,
      });
    }
    return { acted: true, reason: `${payload.to} did not accept in time; the lead stays with ${lead.ownerId}` };
  });
}

/** The `reassign-window` kind (domain/timers/next-action-timers.ts), fired by expireReassignment. */
export const reassignWindowKind: TimerKindModule<"reassign-window"> = { ...reassignWindowTimer, fire: expireReassignment };
