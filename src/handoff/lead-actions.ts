import { eq } from "drizzle-orm";
import { leads } from "../db/schema/index.ts";
import type { BusinessConfig } from "../domain/business-config.ts";
import { takenNotice } from "../domain/copy/team-notices.ts";
import { missingFields, outcomeOf, OUTCOMES, type Rejection } from "../domain/lead.ts";
import { assertTransition } from "../domain/transitions.ts";
import type { Deps } from "../core/deps.ts";
import { AlreadyAccepted, IllegalTransition, InvalidOutcome, LeadNotFound, MemberNotFound, NotOfferedTo, ReasonRequired } from "../domain/errors.ts";
import { noteIncomplete } from "../routing/incomplete.ts";
import { lockLead } from "../core/lead-lock.ts";
import { memberById, textMembers } from "../messaging/notify.ts";
import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import { cancelLeadTimers, recordEvent, transact } from "../core/transact.ts";
import { actorName, requireMember, type Actor } from "./actors.ts";
import { tellCustomerAccepted } from "./customer-update.ts";
import { scheduleFollowUp } from "./next-action-timers.ts";
import { declineReassigned, takeReassigned } from "./reassign-lead.ts";

export { reassignLead } from "./reassign-lead.ts";

/** Every outcome a close of this business may name: the four of every business, then its own. */
export const allOutcomes = (config: Pick<BusinessConfig, "outcomes">): string[] => [...OUTCOMES, ...config.outcomes.map((o) => o.id)];

export type { Actor } from "./actors.ts";

/**
 * A refusal that means "this lead is not (or no longer) yours to act on": back with intake,
 * closed, offered to others, gone, or the actor off the team. What SMS and keypad answers say.
 */
export function isNotYours(err: unknown): boolean {
  return err instanceof IllegalTransition || err instanceof NotOfferedTo || err instanceof LeadNotFound || err instanceof MemberNotFound;
}

function requireOfferee(lead: LeadRow, business: BusinessRow, actor: Actor) {
  requireMember(business, actor.memberId);
  if (!lead.offeredTo.includes(actor.memberId)) {
    throw new NotOfferedTo(actor.memberId, lead.code, lead.offeredTo);
  }
}

/**
 * The owner confirms: they saw the notes, know the next step and the deadline. Any offeree may
 * accept; the first wins (the row lock serialises them) and the others are told who took it.
 */
export async function acceptLead(deps: Deps, leadId: string, actor: Actor): Promise<LeadRow> {
  return transact(deps, async (work) => {
    const { lead, business } = await lockLead(work, leadId);
    if (lead.state === "accepted" && lead.pendingOwnerId === actor.memberId) return takeReassigned(work, business, lead, actor);
    if (lead.state === "accepted") {
      const by = memberById(business.config, lead.ownerId)?.name ?? lead.ownerId;
      throw new AlreadyAccepted(lead.code, lead.ownerId, by);
    }
    assertTransition("accept", lead.state, lead.code);
    requireOfferee(lead, business, actor);
    const [accepted] = await work.tx
      .update(leads)
      .set({ state: "accepted", ownerId: actor.memberId, acceptedAt: work.now, lastActionAt: work.now, updatedAt: work.now })
      .where(eq(leads.id, lead.id))
      .returning();
    await recordEvent(work, lead.id, "accepted", actorName(actor), { via: actor.via, previousOwner: lead.ownerId });
    await cancelLeadTimers(work, lead.id, ["escalate", "incomplete"]);
    const winner = requireMember(business, actor.memberId);
    const others = lead.offeredTo
      .filter((id) => id !== actor.memberId)
      .map((id) => memberById(business.config, id))
      .filter((m) => m !== null);
    await textMembers(work, business, others, {
      body: takenNotice({ code: lead.code, acceptedBy: winner.name }),
      purpose: "taken",
      leadId: lead.id,
      key: `taken:${lead.id}:${work.now.getTime()}`,
    });
    await scheduleFollowUp(work, business, accepted!);
    await tellCustomerAccepted(work, business, accepted!, winner.name);
    return accepted!;
  });
}

/**
 * The offeree sends it back to intake naming the missing data, instead of sitting on it.
 * Refused after acceptance: responsibility does not bounce back informally.
 */
export async function rejectLead(deps: Deps, leadId: string, actor: Actor, reason: string | undefined): Promise<LeadRow> {
  if (!reason?.trim()) throw new ReasonRequired("reject");
  return transact(deps, async (work) => {
    const { lead, business } = await lockLead(work, leadId);
    if (lead.state === "accepted" && lead.pendingOwnerId === actor.memberId) return declineReassigned(work, business, lead, actor, reason.trim());
    assertTransition("reject", lead.state, lead.code);
    requireOfferee(lead, business, actor);
    const rejection: Rejection = { reason: reason.trim(), by: actor.memberId, at: work.now.toISOString() };
    const [rejected] = await work.tx
      .update(leads)
      .set({
        state: "intake",
        ownerId: null,
        offeredTo: [],
        nextActionDueAt: null,
        escalationLevel: 0,
        rejections: [...lead.rejections, rejection],
        lastActionAt: work.now,
        updatedAt: work.now,
      })
      .where(eq(leads.id, lead.id))
      .returning();
    await recordEvent(work, lead.id, "rejected", actorName(actor), { via: actor.via, reason: rejection.reason });
    await cancelLeadTimers(work, lead.id, ["escalate"]);
    await noteIncomplete(work, business, rejected!, missingFields(fieldsOf(rejected!)));
    return rejected!;
  });
}

/** Finished: booked, lost, spam or duplicate. Its timers stop mattering. */
export async function closeLead(deps: Deps, leadId: string, given: string | undefined, by: string, reason?: string): Promise<LeadRow> {
  return transact(deps, async (work) => {
    const { lead, business } = await lockLead(work, leadId);
    const outcome = given ? outcomeOf(given, business.config.outcomes) : null;
    if (!outcome) throw new InvalidOutcome(given, allOutcomes(business.config));
    assertTransition("close", lead.state, lead.code);
    const [closed] = await work.tx
      .update(leads)
      .set({ state: "closed", outcome, closedAt: work.now, lastActionAt: work.now, updatedAt: work.now, pendingOwnerId: null, pendingOfferedAt: null, pendingReason: null })
      .where(eq(leads.id, lead.id))
      .returning();
    await recordEvent(work, lead.id, "closed", by, { outcome, reason: reason ?? null });
    await cancelLeadTimers(work, lead.id);
    return closed!;
  });
}

