import { eq } from "drizzle-orm";
import { leads } from "../db/schema/index.ts";
import type { Member } from "../domain/business-config.ts";
import { reassignNotTakenNotice } from "../domain/copy/follow-up-notices.ts";
import { reassignedNotice } from "../domain/copy/team-notices.ts";
import { IllegalTransition, ReasonRequired } from "../domain/errors.ts";
import { acceptanceWindowMs, leadClass, nextActionDueAt } from "../domain/escalation-policy.ts";
import { reassignWindowTimer } from "../domain/timers/index.ts";
import { assertTransition } from "../domain/transitions.ts";
import type { Deps } from "../core/deps.ts";
import { lockLead } from "../core/lead-lock.ts";
import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import { cancelLeadTimers, queueMessage, recordEvent, scheduleTimer, transact, type Work } from "../core/transact.ts";
import { memberById, textMembers } from "../messaging/notify.ts";
import { offerTextFor, offerTo } from "../routing/offer-lead.ts";
import { actorName, requireMember, type Actor } from "./actors.ts";

// The formal handoff the SOP allows after acceptance (CONTRACT §9): offered to a named member,
// taken by their ACCEPT, and otherwise left with the owner. acceptLead and rejectLead hand a
// pending offeree's answer to takeReassigned and declineReassigned.

/**
 * The only way a lead changes owner after the offer: explicitly, with a reason, to a named member
 * (CONTRACT §9). An accepted lead stays accepted by its owner with the named member as pending
 * offeree until they ACCEPT; their REJECT, or no answer within the lead's acceptance window,
 * leaves it with the owner. A lead not yet accepted is simply offered to the named member.
 */
export async function reassignLead(deps: Deps, leadId: string, target: string, reason: string | undefined, by: string): Promise<LeadRow> {
  if (!reason?.trim()) throw new ReasonRequired("reassign");
  return transact(deps, async (work) => {
    const { lead, business } = await lockLead(work, leadId);
    assertTransition("reassign", lead.state, lead.code);
    const member = requireMember(business, target);
    if (lead.state === "accepted") return offerReassignment(work, business, lead, member, reason.trim(), by);
    const previous = memberById(business.config, lead.ownerId);
    await cancelLeadTimers(work, lead.id, ["escalate"]);
    await recordEvent(work, lead.id, "reassigned", by, { from: lead.ownerId, to: member.id, reason: reason.trim() });
    const offered = await offerTo(work, business, lead, member, {
      actor: by,
      due: nextActionDueAt(business.config, fieldsOf(lead), work.now),
      heading: "REASSIGNED",
      detail: { reassignedFrom: lead.ownerId, reason: reason.trim() },
    });
    if (previous && previous.id !== member.id) {
      await textMembers(work, business, [previous], {
        body: reassignedNotice({ code: lead.code, to: member.name, reason }),
        purpose: "reassigned",
        leadId: lead.id,
        key: `reassigned:${lead.id}:${work.now.getTime()}`,
      });
    }
    return offered;
  });
}

/** An accepted lead offered to `member`: pending until their ACCEPT, within the lead's acceptance window. */
async function offerReassignment(work: Work, business: BusinessRow, lead: LeadRow, member: Member, reason: string, by: string): Promise<LeadRow> {
  if (member.id === lead.ownerId) throw new IllegalTransition(lead.state, "reassign", lead.code, `it is already with ${member.name}`);
  const config = business.config;
  const [pending] = await work.tx
    .update(leads)
    .set({ pendingOwnerId: member.id, pendingOfferedAt: work.now, pendingReason: reason, lastActionAt: work.now, updatedAt: work.now })
    .where(eq(leads.id, lead.id))
    .returning();
  await cancelLeadTimers(work, lead.id, ["reassign-window"]);
  await recordEvent(work, lead.id, "reassign_offered", by, { from: lead.ownerId, to: member.id, reason, replaced: lead.pendingOwnerId });
  const windowMs = acceptanceWindowMs(config, leadClass(fieldsOf(lead)));
  const due = new Date(work.now.getTime() + windowMs);
  await queueMessage(work, {
    businessId: business.id,
    leadId: lead.id,
    memberId: member.id,
    to: member.phone,
    channel: "sms",
    body: offerTextFor(pending!, config, { due: pending!.nextActionDueAt && pending!.nextActionDueAt > work.now ? pending!.nextActionDueAt : due, heading: "REASSIGNED", now: work.now }),
    purpose: "reassign-offer",
    key: `reassign-offer:${lead.id}:${work.now.getTime()}`,
  });
  await scheduleTimer(work, {
    businessId: business.id,
    leadId: lead.id,
    kind: "reassign-window",
    dueAt: due,
    key: reassignWindowTimer.key({ leadId: lead.id, offeredAt: work.now }),
    payload: { to: member.id, offeredAt: work.now.toISOString() },
  });
  return pending!;
}

/** The offeree of a reassignment ACCEPTs: they become the owner, and the previous owner is told. */
export async function takeReassigned(work: Work, business: BusinessRow, lead: LeadRow, actor: Actor): Promise<LeadRow> {
  const member = requireMember(business, actor.memberId);
  const [taken] = await work.tx
    .update(leads)
    .set({
      ownerId: member.id,
      offeredTo: [member.id],
      pendingOwnerId: null,
      pendingOfferedAt: null,
      pendingReason: null,
      acceptedAt: work.now,
      lastActionAt: work.now,
      updatedAt: work.now,
    })
    .where(eq(leads.id, lead.id))
    .returning();
  await recordEvent(work, lead.id, "reassigned", actorName(actor), { via: actor.via, from: lead.ownerId, to: member.id, reason: lead.pendingReason });
  await cancelLeadTimers(work, lead.id, ["reassign-window"]);
  const previous = memberById(business.config, lead.ownerId);
  if (previous && previous.id !== member.id) {
    await textMembers(work, business, [previous], {
      body: reassignedNotice({ code: lead.code, to: member.name, reason: lead.pendingReason ?? "reassigned" }),
      purpose: "reassigned",
      leadId: lead.id,
      key: `reassigned:${lead.id}:${work.now.getTime()}`,
    });
  }
  return taken!;
}

/**
 * The offeree of a reassignment says no: nothing goes back to intake (SOP "responsibility does not
 * bounce back informally"); the lead stays with its owner, who is told why.
 */
export async function declineReassigned(work: Work, business: BusinessRow, lead: LeadRow, actor: Actor, reason: string): Promise<LeadRow> {
  const [kept] = await work.tx
    .update(leads)
    .set({ pendingOwnerId: null, pendingOfferedAt: null, pendingReason: null, updatedAt: work.now })
    .where(eq(leads.id, lead.id))
    .returning();
  await recordEvent(work, lead.id, "reassign_declined", actorName(actor), { via: actor.via, to: actor.memberId, reason });
  await cancelLeadTimers(work, lead.id, ["reassign-window"]);
  const owner = memberById(business.config, lead.ownerId);
  const declined = memberById(business.config, actor.memberId);
  if (owner) {
    await textMembers(work, business, [owner], {
      body: reassignNotTakenNotice({ code: lead.code, to: declined?.name ?? actor.memberId, reason }),
      purpose: "reassign-not-taken",
      leadId: lead.id,
      key: `reassign-declined:${lead.id}:${work.now.getTime()}`,
    });
  }
  return kept!;
}

