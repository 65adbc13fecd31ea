import ical from "ical-generator";
import type { BusinessConfig } from "../domain/business-config.ts";
import { MANAGER_ROLE } from "../domain/escalation-ladder.ts";
import { roleHolding, shiftsBetween } from "../domain/on-duty.ts";
import { ScheduleNotFound } from "../domain/errors.ts";
import { hmacSha256Hex, timingSafeEqual } from "../adapters/inbound/crypto.ts";

export interface OnCall {
  at: string;
  roles: Record<string, { memberId: string | null; name: string | null; until: string | null; fallback?: string }>;
}

/**
 * Who holds each role at `at` (GET /api/businesses/:slug/on-call): for a scheduled role the
 * member on duty and when their shift ends; a schedule with nobody on duty answers the manager,
 * marked `fallback`; other roles their first available holder in team order, with no end.
 */
export function onCallAt(config: BusinessConfig, at: Date): OnCall {
  const roles = new Set([...(config.schedules ?? []).map((s) => s.role), ...config.team.flatMap((m) => m.roles)]);
  const answer: OnCall = { at: at.toISOString(), roles: {} };
  for (const role of [...roles].sort()) {
    const holding = roleHolding(config, role, at);
    const member = holding.members[0];
    const until = holding.schedules.length ? new Date(Math.min(...holding.schedules.map((s) => s.shift.until.getTime()))).toISOString() : null;
    if (member) {
      answer.roles[role] = { memberId: member.id, name: member.name, until };
    } else if (holding.schedules.length) {
      const manager = roleHolding(config, MANAGER_ROLE, at).members[0];
      answer.roles[role] = { memberId: manager?.id ?? null, name: manager?.name ?? null, until, fallback: MANAGER_ROLE };
    } else {
      answer.roles[role] = { memberId: null, name: null, until: null };
    }
  }
  return answer;
}

/** The schedule's calendar from four weeks back to twelve ahead: one event per shift, overrides included. */
export function scheduleCalendar(config: BusinessConfig, slug: string, scheduleId: string, now: Date): string {
  const schedule = (config.schedules ?? []).find((s) => s.id === scheduleId);
  if (!schedule) throw new ScheduleNotFound(scheduleId, slug);
  const names = new Map(config.team.map((m) => [m.id, m.name]));
  const calendar = ical({ name: `${config.name}: ${schedule.role} (${schedule.id})`, timezone: config.timezone, prodId: "//Handoff gateway//on-call//EN" });
  const from = new Date(now.getTime() - 28 * 86_400_000);
  const to = new Date(now.getTime() + 84 * 86_400_000);
  for (const shift of shiftsBetween(schedule, config.timezone, from, to)) {
    calendar.createEvent({
      id: `${slug}-${schedule.id}-${shift.from.getTime()}-${shift.memberId}@handoff`,
      start: shift.from,
      end: shift.until,
      summary: `${names.get(shift.memberId) ?? shift.memberId}: ${schedule.role}${shift.override ? " (override)" : ""}`,
      description: `${names.get(shift.memberId) ?? shift.memberId} holds ${schedule.role} for ${config.name}.`,
    });
  }
  return calendar.toString();
}

/**
 * The secret part of a schedule's public feed URL: an HMAC of the business and schedule under
 * the admin token, so it cannot be guessed, needs no storage, and changes when the token does.
 */
export async function calendarToken(adminToken: string, slug: string, scheduleId: string): Promise<string> {
  return (await hmacSha256Hex(adminToken, `ics:v1:${slug}:${scheduleId}`)).slice(0, 40);
}

export async function isCalendarToken(adminToken: string, slug: string, scheduleId: string, token: string): Promise<boolean> {
  return timingSafeEqual(token, await calendarToken(adminToken, slug, scheduleId));
}
