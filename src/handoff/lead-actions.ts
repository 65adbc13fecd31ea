import { eq } from "drizzle-orm";
import { leads } from "../db/schema/index.ts";
import type { BusinessConfig, Member } from "../domain/business-config.ts";
import { acceptedCustomerText } from "../domain/copy/customer-texts.ts";
import { reassignNotTakenNotice } from "../domain/copy/follow-up-notices.ts";
import { reassignedNotice, takenNotice } from "../domain/copy/team-notices.ts";
import { acceptanceWindowMs, leadClass, nextActionDueAt } from "../domain/escalation-policy.ts";
import { missingFields, outcomeOf, OUTCOMES, type Rejection } from "../domain/lead.ts";
import { reassignWindowTimer } from "../domain/timers/index.ts";
import { assertTransition } from "../domain/transitions.ts";
import type { Deps } from "../core/deps.ts";
import { AlreadyAccepted, IllegalTransition, InvalidOutcome, LeadNotFound, MemberNotFound, NotOfferedTo, ReasonRequired } from "../domain/errors.ts";
import { noteIncomplete } from "../routing/incomplete.ts";
import { lockLead } from "../core/lead-lock.ts";
import { memberById, textCustomer, textMembers } from "../messaging/notify.ts";
import { offerTextFor, offerTo } from "../routing/offer-lead.ts";
import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import { cancelLeadTimers, queueMessage, recordEvent, scheduleTimer, transact, type Work } from "../core/transact.ts";
import { scheduleFollowUp } from "./next-action-timers.ts";

/** Every outcome a close of this business may name: the four of every business, then its own. */
export const allOutcomes = (config: Pick<BusinessConfig, "outcomes">): string[] => [...OUTCOMES, ...config.outcomes.map((o) => o.id)];

/** Who acts, and how they reached us ("api", "sms", "voice"). */
export interface Actor {
  memberId: string;
  via: string;
}

const actorName = (a: Actor) => `member:${a.memberId}`;

/**
 * A refusal that means "this lead is not (or no longer) yours to act on": back with intake,
 * closed, offered to others, gone, or the actor off the team. What SMS and keypad answers say.
 */
export function isNotYours(err: unknown): boolean {
  return err instanceof IllegalTransition || err instanceof NotOfferedTo || err instanceof LeadNotFound || err instanceof MemberNotFound;
}

function requireMember(business: BusinessRow, memberId: string) {
  const member = memberById(business.config, memberId);
  if (!member) throw new MemberNotFound(memberId, business.config.slug);
  return member;
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

/** The offeree of a reassignment ACCEPTs: they become the owner, and the previous owner is told. */
async function takeReassigned(work: Work, business: BusinessRow, lead: LeadRow, actor: Actor): Promise<LeadRow> {
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

/** customerTexts.onAccept: the customer hears once who has their request (quiet hours and opt-outs apply). */
async function tellCustomerAccepted(work: Work, business: BusinessRow, lead: LeadRow, ownerName: string): Promise<void> {
  const config = business.config;
  if (!config.customerTexts.onAccept || !lead.phone) return;
  const body = acceptedCustomerText({
    businessName: config.name,
    ownerName,
    nextAction: lead.nextAction,
    dueAt: lead.nextAction ? lead.nextActionDueAt : null,
    promisedNextStep: lead.promisedNextStep,
    timeZone: config.timezone,
    now: work.now,
  });
  const id = await textCustomer(work, business, {
    to: lead.phone,
    body,
    purpose: "customer-update",
    leadId: lead.id,
    key: `customer-accepted:${lead.id}`,
    // An acceptance answers no contact of the customer's: it always waits out quiet hours.
    lastContactAt: null,
  });
  if (id) await recordEvent(work, lead.id, "customer_updated", "system", { on: "accept", messageId: id });
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

/**
 * The offeree of a reassignment says no: nothing goes back to intake (SOP "responsibility does not
 * bounce back informally"); the lead stays with its owner, who is told why.
 */
async function declineReassigned(work: Work, business: BusinessRow, lead: LeadRow, actor: Actor, reason: string): Promise<LeadRow> {
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

