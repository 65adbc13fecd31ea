import { and, eq, sql } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { flushHistory, queueMessage, recordEvent, scheduleTimer, type Work } from "../core/transact.ts";
import { leadEvents, leads } from "../db/schema/index.ts";
import { spokenIntakeEscalation } from "../domain/copy/voice.ts";
import { nextEscalation, type EscalationStep } from "../domain/escalation-ladder.ts";
import type { EscalationClass } from "../domain/escalation-policy.ts";
import { intakeEscalationText } from "../domain/copy/escalation.ts";
import { isEmergency, missingFields } from "../domain/lead.ts";
import { humanField } from "../domain/copy/offer.ts";
import { incompleteEpisode, incompleteTimer, type IncompletePayload } from "../domain/timers/index.ts";
import { onTimerLead, skip, stopClimb, type FireOutcome } from "./fire-outcome.ts";
import { pickTarget } from "./pick-target.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/**
 * A lead still with intake after its window (`completeWithin`, or the urgent window for an
 * emergency sent back to intake). Does nothing once it left intake or was sent back again since
 * (that stay has its own timer). Otherwise intake's escalation target (office lead, then the
 * manager, bounded) is told what is missing; emergencies climb the urgent ladder, by voice too.
 */
export async function escalateIncomplete(deps: Deps, timer: TimerRow, payload: IncompletePayload): Promise<FireOutcome> {
  const episode = incompleteEpisode(payload, timer.dedupeKey);
  return onTimerLead(deps, timer, async (work, lead, business) => {
    if (lead.state !== "intake") return skip(`lead is ${lead.state}`);
    if (lead.rejections.length !== episode) return skip("sent back to intake again since; that stay has its own timer");
    const reached = await intakeLevelReached(work, lead.id, episode);
    if (reached > payload.level) return skip(`already escalated to level ${reached}`);

    const cls: EscalationClass = isEmergency(lead.urgency) ? "urgent" : "incomplete";
    const step = nextEscalation({ leadClass: cls, level: payload.level, config: business.config });
    if (!step) return stopClimb(work, lead, payload.level, "the ladder has no further rung");
    return nudgeIntake(work, business, lead, cls, step, episode);
  });
}

/** The `incomplete` kind: its key and payload (domain/timers/incomplete-timer.ts), fired by escalateIncomplete. */
export const incompleteKind: TimerKindModule<"incomplete"> = { ...incompleteTimer, fire: escalateIncomplete };

/** The highest level an intake stay (episode) has been escalated to, from the lead's history. */
async function intakeLevelReached(work: Work, leadId: string, episode: number): Promise<number> {
  await flushHistory(work);
  const [row] = await work.tx
    .select({ level: sql<number | null>`max((${leadEvents.detail}->>'level')::int)` })
    .from(leadEvents)
    .where(
      and(
        eq(leadEvents.leadId, leadId),
        eq(leadEvents.type, "escalated"),
        sql`${leadEvents.detail}->>'kind' = 'incomplete'`,
        sql`(${leadEvents.detail}->>'episode')::int = ${episode}`,
      ),
    );
  return Number(row?.level ?? 0);
}

/** One rung up for a lead stuck with intake: its target is told what is missing. */
async function nudgeIntake(
  work: Work,
  business: BusinessRow,
  lead: LeadRow,
  cls: EscalationClass,
  step: EscalationStep,
  episode: number,
): Promise<FireOutcome> {
  const config = business.config;
  const target = await pickTarget(work, business, step.targetRole, null);
  const next = nextEscalation({ leadClass: cls, level: step.level, config });
  await work.tx.update(leads).set({ escalationLevel: step.level, updatedAt: work.now }).where(eq(leads.id, lead.id));
  await recordEvent(work, lead.id, "escalated", "system", {
    kind: "incomplete",
    episode,
    level: step.level,
    from: "intake",
    to: target?.member.id ?? null,
    channels: target ? step.channels : [],
    role: step.targetRole,
    class: cls,
    missingFields: missingFields(fieldsOf(lead)),
    ...(!target && { reason: `nobody available holds ${step.targetRole} or manager` }),
  });
  if (target) {
    const text = intakeEscalationTextFor(lead);
    for (const channel of step.channels) {
      await queueMessage(work, {
        businessId: business.id,
        leadId: lead.id,
        // A lead with intake cannot be accepted: no member on the call, so no keypad prompt.
        memberId: channel === "sms" ? target.member.id : null,
        to: target.member.phone,
        channel,
        body: channel === "sms" ? text : spokenIntakeEscalation(text),
        purpose: "escalation",
        key: `escalation:${lead.id}:intake-${episode}:${step.level}:${channel}`,
      });
    }
  }
  if (next) {
    await scheduleTimer(work, {
      businessId: business.id,
      leadId: lead.id,
      kind: "incomplete",
      dueAt: new Date(work.now.getTime() + next.dueInMs),
      key: incompleteTimer.key({ leadId: lead.id, episode, level: step.level }),
      payload: { level: step.level, episode },
    });
  } else {
    await recordEvent(work, lead.id, "escalation_stopped", "system", {
      level: step.level,
      reason: "last rung of the ladder reached; the lead stays with intake and is listed in the end-of-day review",
    });
  }
  return { acted: true, reason: target ? `intake escalated to ${target.member.id}` : "escalated, but nobody was available", level: step.level };
}

/** The text to intake's escalation target for a lead as it stands. */
function intakeEscalationTextFor(lead: LeadRow): string {
  return intakeEscalationText({
    code: lead.code,
    who: lead.fullName ?? lead.phone ?? "unknown caller",
    urgency: lead.urgency,
    sentBack: lead.rejections.at(-1) ?? null,
    missing: missingFields(fieldsOf(lead)).map(humanField),
  });
}
