import { and, eq, notInArray } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { awayMemberIds } from "../core/member-status.ts";
import type { BusinessRow } from "../core/records.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { scheduleTimer, transact, type Work } from "../core/transact.ts";
import { businesses, timers } from "../db/schema/index.ts";
import type { BusinessConfig } from "../domain/business-config.ts";
import { shiftStartNotice } from "../domain/copy/team-notices.ts";
import { roleHolding, shiftAt } from "../domain/on-duty.ts";
import { withAwayMembers } from "../domain/routing.ts";
import type { Schedule } from "../domain/schedule-config.ts";
import { shiftStartTimer, type ShiftStartPayload } from "../domain/timers/index.ts";
import { textMembers } from "../messaging/notify.ts";
import type { FireOutcome } from "./fire-outcome.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/**
 * Shift-start texts (CONTRACT §10): each schedule has one wake-up pending, at its next shift
 * boundary (a rotation's handoff, or where an override begins or ends). It texts whoever is on
 * duty from then and plans the next, as the end-of-day review plans its next occurrence.
 */

/** The next instant after `after` at which the schedule's shift changes. */
const nextBoundary = (schedule: Schedule, zone: string, after: Date) => shiftAt(schedule, zone, after).until;

/**
 * Plans the next shift start of every schedule of the business after `after` and cancels any
 * other pending shift start of it (a schedule removed or changed by an apply). Idempotent.
 */
export async function planShiftStarts(work: Work, business: BusinessRow, after: Date): Promise<void> {
  const keys: string[] = [];
  for (const schedule of business.config.schedules ?? []) {
    const startsAt = nextBoundary(schedule, business.config.timezone, after);
    const key = shiftStartTimer.key({ businessId: business.id, scheduleId: schedule.id, startsAt });
    keys.push(key);
    await scheduleTimer(work, {
      businessId: business.id,
      leadId: null,
      kind: "shift-start",
      dueAt: startsAt,
      key,
      payload: { scheduleId: schedule.id, startsAt: startsAt.toISOString() },
    });
  }
  await work.tx
    .update(timers)
    .set({ status: "canceled" })
    .where(
      and(
        eq(timers.businessId, business.id),
        eq(timers.kind, "shift-start"),
        eq(timers.status, "pending"),
        ...(keys.length ? [notInArray(timers.dedupeKey, keys)] : []),
      ),
    );
}

/** Re-plans every business's shift starts (at start-up, by the backstop, after an apply). Idempotent. */
export async function scheduleShiftStarts(deps: Deps, only?: { businessId: string }): Promise<void> {
  const all = await deps.db.select().from(businesses);
  for (const business of all) {
    if (only && business.id !== only.businessId) continue;
    await transact(deps, (work) => planShiftStarts(work, business, work.now));
  }
}

/** Who is on duty in one schedule at `at` (AWAY and time off passing it on), or null. */
function onDuty(config: BusinessConfig, schedule: Schedule, at: Date) {
  return roleHolding({ ...config, schedules: [schedule] }, schedule.role, at).members[0] ?? null;
}

/**
 * A shift starts: the member on duty from then is texted which role and until when, once. Not
 * texted when the boundary is no longer one (an apply changed the schedule), when the shift is
 * already over (the gateway was down), or when the same member simply carries on. The next
 * shift start is planned either way.
 */
export async function runShiftStart(deps: Deps, timer: TimerRow, payload: ShiftStartPayload): Promise<FireOutcome> {
  return transact(deps, async (work) => {
    const [business] = await work.tx.select().from(businesses).where(eq(businesses.id, timer.businessId));
    if (!business) return { acted: false, reason: "business no longer exists" };
    const config = withAwayMembers(business.config, await awayMemberIds(work.tx, business.id));
    const startsAt = new Date(payload.startsAt);
    await planShiftStarts(work, business, new Date(Math.max(work.now.getTime(), startsAt.getTime())));

    const schedule = (config.schedules ?? []).find((s) => s.id === payload.scheduleId);
    if (!schedule) return { acted: false, reason: `schedule "${payload.scheduleId}" is no longer in the config` };
    const shift = shiftAt(schedule, config.timezone, startsAt);
    // Still a boundary: the shift just before it ends there (a turn resumed after an override starts earlier).
    if (shiftAt(schedule, config.timezone, new Date(startsAt.getTime() - 1)).until.getTime() !== startsAt.getTime()) return { acted: false, reason: `no shift of "${schedule.id}" starts at ${payload.startsAt} any more` };
    if (work.now >= shift.until) return { acted: false, reason: `the shift from ${payload.startsAt} was over when this woke up` };
    const member = onDuty(config, schedule, startsAt);
    if (!member) return { acted: false, reason: `nobody in "${schedule.id}" is available; the manager stands in` };
    const before = onDuty(config, schedule, new Date(startsAt.getTime() - 1));
    if (before?.id === member.id) return { acted: false, reason: `${member.id} carries on` };
    await textMembers(work, business, [member], {
      body: shiftStartNotice({ businessName: config.name, role: schedule.role, until: shift.until, timeZone: config.timezone, now: startsAt }),
      purpose: "shift-start",
      leadId: null,
      key: `shift-start:${business.id}:${schedule.id}:${payload.startsAt}`,
    });
    return { acted: true, reason: `${member.id} texted: ${schedule.role} from ${payload.startsAt}` };
  });
}

/** The `shift-start` kind: its key and payload (domain/timers/shift-start-timer.ts), fired by runShiftStart. */
export const shiftStartKind: TimerKindModule<"shift-start"> = { ...shiftStartTimer, fire: runShiftStart };
