import type { Deps } from "../core/deps.ts";
import type { LeadRow } from "../core/records.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { recordEvent, scheduleTimer } from "../core/transact.ts";
import { followUpNotice, overdueNotice, reminderNotice } from "../domain/copy/follow-up-notices.ts";
import { durationMs } from "../domain/duration.ts";
import { followUpTimer, nextActionDueTimer, overdueTimer, type FollowUpPayload, type NextActionPayload } from "../domain/timers/index.ts";
import { memberById, textMembers } from "../messaging/notify.ts";
import { onTimerLead, skip, type FireOutcome } from "./fire-outcome.ts";
import { pickTarget } from "./pick-target.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/**
 * Why a next action's wake-up finds nothing to do: the lead is no longer accepted, its next action
 * was replaced (another due time), or somebody moved it since (CONTRACT §9's movement: ACCEPT,
 * NEXT, NOTE, DONE, REASSIGN, a field edit by a member; a reminder or a customer text is none).
 */
function movedOn(lead: LeadRow, payload: NextActionPayload): string | null {
  if (lead.state !== "accepted") return `lead is ${lead.state}`;
  if (lead.nextActionDueAt?.getTime() !== Date.parse(payload.dueAt)) return "the next action was replaced";
  if (lead.lastActionAt && lead.lastActionAt.getTime() > Date.parse(payload.setAt)) return "moved since the next action was set";
  return null;
}

/** The due time of a next action came with no movement: its owner is reminded, and the overdue notice is set. */
export async function remindNextAction(deps: Deps, timer: TimerRow, payload: NextActionPayload): Promise<FireOutcome> {
  return onTimerLead(deps, timer, async (work, lead, business) => {
    const why = movedOn(lead, payload);
    if (why) return skip(why);
    const config = business.config;
    const owner = memberById(config, lead.ownerId);
    const dueAt = new Date(payload.dueAt);
    if (owner) {
      await textMembers(work, business, [owner], {
        body: reminderNotice({ code: lead.code, customerName: lead.fullName, action: lead.nextAction, dueAt, timeZone: config.timezone, now: work.now }),
        purpose: "reminder",
        leadId: lead.id,
        key: `reminder:${lead.id}:${Date.parse(payload.setAt)}`,
      });
    }
    await recordEvent(work, lead.id, "reminded", "system", { to: owner?.id ?? null, dueAt: payload.dueAt, action: lead.nextAction });
    const setAt = new Date(payload.setAt);
    await scheduleTimer(work, {
      businessId: business.id,
      leadId: lead.id,
      kind: "overdue",
      dueAt: new Date(dueAt.getTime() + durationMs(config.escalation.overdue.escalateAfter)),
      key: overdueTimer.key({ leadId: lead.id, setAt }),
      payload,
    });
    return { acted: true, reason: `reminded ${owner?.id ?? "nobody (owner left the team)"}` };
  });
}

/** `escalation.overdue.escalateAfter` past the due time, still no movement: the overdue role is told. */
export async function escalateOverdue(deps: Deps, timer: TimerRow, payload: NextActionPayload): Promise<FireOutcome> {
  return onTimerLead(deps, timer, async (work, lead, business) => {
    const why = movedOn(lead, payload);
    if (why) return skip(why);
    const config = business.config;
    const role = config.escalation.overdue.escalateTo;
    const target = await pickTarget(work, business, role, lead.ownerId);
    const owner = memberById(config, lead.ownerId);
    if (target) {
      await textMembers(work, business, [target.member], {
        body: overdueNotice({
          code: lead.code,
          customerName: lead.fullName,
          ownerName: owner?.name ?? lead.ownerId ?? "the owner",
          action: lead.nextAction,
          dueAt: new Date(payload.dueAt),
          timeZone: config.timezone,
          now: work.now,
        }),
        purpose: "overdue",
        leadId: lead.id,
        key: `overdue:${lead.id}:${Date.parse(payload.setAt)}`,
      });
    }
    await recordEvent(work, lead.id, "overdue_escalated", "system", { to: target?.member.id ?? null, role, via: target?.via ?? null, dueAt: payload.dueAt });
    return { acted: true, reason: target ? `told ${target.member.id} the next action is overdue` : `nobody holds ${role} or manager` };
  });
}

/** An estimate's follow-up day opened: its owner is reminded, unless the lead moved since. */
export async function remindFollowUp(deps: Deps, timer: TimerRow, payload: FollowUpPayload): Promise<FireOutcome> {
  return onTimerLead(deps, timer, async (work, lead, business) => {
    if (lead.state !== "accepted") return skip(`lead is ${lead.state}`);
    if (lead.followUpDate !== payload.date) return skip("the follow-up date changed");
    if (lead.lastActionAt && lead.lastActionAt.getTime() > Date.parse(payload.since)) return skip("moved since the follow-up was set");
    const owner = memberById(business.config, lead.ownerId);
    if (owner) {
      await textMembers(work, business, [owner], {
        body: followUpNotice({ code: lead.code, customerName: lead.fullName }),
        purpose: "follow-up",
        leadId: lead.id,
        key: `follow-up:${lead.id}:${payload.date}`,
      });
    }
    await recordEvent(work, lead.id, "follow_up_reminded", "system", { to: owner?.id ?? null, date: payload.date });
    return { acted: true, reason: `reminded ${owner?.id ?? "nobody"} of the follow-up` };
  });
}

/** The `next-action-due` kind (domain/timers/next-action-timers.ts), fired by remindNextAction. */
export const nextActionDueKind: TimerKindModule<"next-action-due"> = { ...nextActionDueTimer, fire: remindNextAction };
/** The `overdue` kind, fired by escalateOverdue. */
export const overdueKind: TimerKindModule<"overdue"> = { ...overdueTimer, fire: escalateOverdue };
/** The `follow-up` kind, fired by remindFollowUp. */
export const followUpKind: TimerKindModule<"follow-up"> = { ...followUpTimer, fire: remindFollowUp };
