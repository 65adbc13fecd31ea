import { eq } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { noteOffered } from "../core/member-stats.ts";
import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { queueMessage, recordEvent, scheduleTimer, type Work } from "../core/transact.ts";
import { leads } from "../db/schema/index.ts";
import { spokenEscalation } from "../domain/copy/voice.ts";
import { nextEscalation, type EscalationStep } from "../domain/escalation-ladder.ts";
import { leadClass, type EscalationClass } from "../domain/escalation-policy.ts";
import { escalateTimer, type EscalatePayload } from "../domain/timers/index.ts";
import { memberById } from "../messaging/notify.ts";
import { offerTextFor } from "../routing/offer-lead.ts";
import { onTimerLead, skip, stopClimb, type FireOutcome } from "./fire-outcome.ts";
import { pickTarget } from "./pick-target.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/**
 * An offered lead's acceptance window passed (SOP "Escalation Rules"). Re-reads the lead under
 * its row lock and does nothing if it moved on: accepted or closed, re-offered since the timer
 * was set, already escalated past this level, or (estimates) moved since. Otherwise it climbs
 * one rung of the ladder: the next target joins `offered_to` (the first ACCEPT of any offeree
 * wins), is texted (and rung) an ESCALATED offer, and the next rung's wake-up is set.
 */
export async function escalateOffer(deps: Deps, timer: TimerRow, payload: EscalatePayload): Promise<FireOutcome> {
  return onTimerLead(deps, timer, async (work, lead, business) => {
    if (lead.state !== "offered") return skip(`lead is ${lead.state}`);
    if (payload.offeredAt && lead.offeredAt?.getTime() !== Date.parse(payload.offeredAt)) return skip("re-offered since the timer was set");
    if (lead.escalationLevel > payload.level) return skip(`already escalated to level ${lead.escalationLevel}`);

    const config = business.config;
    const cls = leadClass(fieldsOf(lead));
    const step = nextEscalation({ leadClass: cls, level: payload.level, config });
    if (!step) return stopClimb(work, lead, payload.level, "the ladder has no further rung");

    if (cls === "estimate") {
      // "No movement": any recorded action by a person since the offer (or the last rung)
      // restarts the wait instead of escalating; the lead is looked at again a window later.
      const since = new Date(payload.since ?? payload.offeredAt ?? lead.offeredAt ?? 0);
      const moved = lead.lastActionAt && lead.lastActionAt > since ? lead.lastActionAt : null;
      const lookAgain = moved ? new Date(moved.getTime() + step.dueInMs) : null;
      if (moved && lookAgain && lookAgain > work.now) return deferForMovement(work, lead, payload.level, moved, lookAgain);
    }
    return climb(work, business, lead, cls, step);
  });
}

/** The `escalate` kind: its key and payload (domain/timers/escalate-timer.ts), fired by escalateOffer. */
export const escalateKind: TimerKindModule<"escalate"> = { ...escalateTimer, fire: escalateOffer };

/**
 * Climbs an offered lead one rung now, without waiting out its window (an offer call that could
 * not be placed). Same rung, target choice and next wake-up as the timer's climb, so the
 * pending wake-up for the rung below finds the lead past it and does nothing.
 */
export async function climbOneRung(work: Work, business: BusinessRow, lead: LeadRow, reason: string): Promise<FireOutcome> {
  const cls = leadClass(fieldsOf(lead));
  const step = nextEscalation({ leadClass: cls, level: lead.escalationLevel, config: business.config });
  if (!step) return stopClimb(work, lead, lead.escalationLevel, `${reason}; the ladder has no further rung`);
  return climb(work, business, lead, cls, step, reason);
}

/** One rung up for an offered lead. */
async function climb(
  work: Work,
  business: BusinessRow,
  lead: LeadRow,
  cls: EscalationClass,
  step: EscalationStep,
  reason?: string,
): Promise<FireOutcome> {
  const config = business.config;
  const target = await pickTarget(work, business, step.targetRole, lead.ownerId);
  const offeredAt = lead.offeredAt ?? work.now;
  const next = nextEscalation({ leadClass: cls, level: step.level, config });
  const nextDue = next ? new Date(work.now.getTime() + next.dueInMs) : null;

  if (target) {
    await noteOffered(work, business.id, target.member.id);
  }
  await work.tx
    .update(leads)
    .set({
      escalationLevel: step.level,
      offeredTo: target && !lead.offeredTo.includes(target.member.id) ? [...lead.offeredTo, target.member.id] : lead.offeredTo,
      ...(nextDue && { nextActionDueAt: nextDue }),
      updatedAt: work.now,
    })
    .where(eq(leads.id, lead.id));
  await recordEvent(work, lead.id, "escalated", "system", {
    level: step.level,
    from: lead.ownerId,
    to: target?.member.id ?? null,
    channels: target ? step.channels : [],
    role: step.targetRole,
    via: target?.via ?? null,
    ...(target?.skipped.length && { skipped: target.skipped }),
    class: cls,
    ...(reason && { reason }),
    ...(!target && { reason: `nobody but the lead's holder is available in ${step.targetRole} or up the chain (office_lead, manager, on_call)` }),
  });

  if (target) {
    const owner = memberById(config, lead.ownerId);
    const text = offerTextFor(lead, config, { due: nextDue ?? work.now, heading: "ESCALATED", now: work.now });
    for (const channel of step.channels) {
      await queueMessage(work, {
        businessId: business.id,
        leadId: lead.id,
        memberId: target.member.id,
        to: target.member.phone,
        channel,
        body: channel === "sms" ? text : spokenEscalation(lead.code, owner?.name ?? null, text),
        purpose: "escalation",
        key: `escalation:${lead.id}:${offeredAt.getTime()}:${step.level}:${channel}`,
      });
    }
  }

  if (next && nextDue) {
    await scheduleTimer(work, {
      businessId: business.id,
      leadId: lead.id,
      kind: "escalate",
      dueAt: nextDue,
      key: escalateTimer.key({ leadId: lead.id, offeredAt, level: step.level }),
      payload: { level: step.level, offeredAt: offeredAt.toISOString(), class: cls, since: work.now.toISOString() },
    });
  } else {
    await recordEvent(work, lead.id, "escalation_stopped", "system", {
      level: step.level,
      reason: "last rung of the ladder reached; the lead stays offered and is listed in the end-of-day review",
    });
  }
  return { acted: true, reason: target ? `escalated to ${target.member.id}` : "escalated, but nobody was available", level: step.level };
}

/** An estimate moved since the last look: wait a full window from that movement, same level. */
async function deferForMovement(work: Work, lead: LeadRow, level: number, moved: Date, lookAgain: Date): Promise<FireOutcome> {
  const offeredAt = lead.offeredAt ?? work.now;
  await work.tx.update(leads).set({ nextActionDueAt: lookAgain, updatedAt: work.now }).where(eq(leads.id, lead.id));
  await scheduleTimer(work, {
    businessId: lead.businessId,
    leadId: lead.id,
    kind: "escalate",
    dueAt: lookAgain,
    key: escalateTimer.key({ leadId: lead.id, offeredAt, level, movedAt: moved }),
    payload: { level, offeredAt: offeredAt.toISOString(), class: "estimate", since: moved.toISOString() },
  });
  await recordEvent(work, lead.id, "escalation_deferred", "system", {
    level,
    reason: "moved since the offer",
    lastActionAt: moved.toISOString(),
    until: lookAgain.toISOString(),
  });
  return { acted: false, reason: "moved since the offer; looked at again a window later", level };
}
