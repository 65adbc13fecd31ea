import { TZDate } from "@date-fns/tz";
import type { BusinessConfig, Member } from "./business-config.ts";
import { businessDate, isOpen } from "./business-time.ts";
import { durationMs } from "./duration.ts";
import type { Rotation, Schedule } from "./schedule-config.ts";

/**
 * Who is on duty at an instant (CONTRACT §10), as pure functions of the config: the shift of a
 * rotation, the overrides that win over it, whether a member is working, and when they next are.
 * Wall-clock arithmetic in the business's zone throughout, so a weekly handoff stays at
 * "mon 08:00" across daylight-saving changes.
 */

const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;
/** How far ahead a next opening is looked for: two weeks covers any weekly hours and a holiday. */
const OPENING_HORIZON_DAYS = 21;

/** The date a rotation without `start` counts from (a Monday); applying a config always sets `start`. */
export const DEFAULT_ROTATION_START = "2026-01-05";

export interface Shift {
  memberId: string;
  from: Date;
  until: Date;
  /** An override, not the rotation's turn. */
  override: boolean;
}

type DutyConfig = Pick<BusinessConfig, "timezone" | "hours" | "team"> & {
  schedules?: Schedule[];
  closedDates?: string[];
};

interface LocalDay {
  y: number;
  m: number;
  d: number;
  minutes: number;
}

function localOf(at: Date, zone: string): LocalDay {
  const t = new TZDate(at.getTime(), zone);
  return { y: t.getFullYear(), m: t.getMonth(), d: t.getDate(), minutes: t.getHours() * 60 + t.getMinutes() };
}

/** The instant of a wall-clock minute (may overflow into later days) on a calendar day in `zone`. */
function instantAt(zone: string, y: number, m: number, d: number, minutes: number): Date {
  return new Date(new TZDate(y, m, d, Math.floor(minutes / 60), minutes % 60, zone).getTime());
}

const parseDate = (date: string) => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return { y, m: m - 1, d };
};
/** Whole calendar days from one date to another (either may be earlier). */
const daysFrom = (a: { y: number; m: number; d: number }, b: { y: number; m: number; d: number }) =>
  Math.round((Date.UTC(b.y, b.m, b.d) - Date.UTC(a.y, a.m, a.d)) / DAY_MS);

const mod = (n: number, m: number) => ((n % m) + m) % m;

function handoffMinutes(rotation: Rotation): number {
  const time = rotation.handoff.split(" ").at(-1)!;
  const [h, m] = time.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** The rotation's shift that contains `at`: its index (0 = members[0]'s first shift) and its span. */
export function rotationShift(rotation: Rotation, zone: string, at: Date): { index: number; from: Date; until: Date } {
  const start = parseDate(rotation.start ?? DEFAULT_ROTATION_START);
  const handoff = handoffMinutes(rotation);
  const local = localOf(at, zone);
  // Days since the first handoff, counted from handoff to handoff.
  let day = daysFrom(start, local);
  if (local.minutes < handoff) day -= 1;
  const everyMs = durationMs(rotation.every);
  if (everyMs >= DAY_MS) {
    const span = everyMs / DAY_MS;
    const index = Math.floor(day / span);
    return {
      index,
      from: instantAt(zone, start.y, start.m, start.d + index * span, handoff),
      until: instantAt(zone, start.y, start.m, start.d + (index + 1) * span, handoff),
    };
  }
  const shiftMinutes = everyMs / 60_000;
  const perDay = Math.round(MINUTES_PER_DAY / shiftMinutes);
  const j = Math.floor(mod(local.minutes - handoff, MINUTES_PER_DAY) / shiftMinutes);
  return {
    index: day * perDay + j,
    from: instantAt(zone, start.y, start.m, start.d + day, handoff + j * shiftMinutes),
    until: instantAt(zone, start.y, start.m, start.d + day, handoff + (j + 1) * shiftMinutes),
  };
}

/** Who holds a schedule's role at `at`: the latest override covering it, else the rotation's turn. */
export function shiftAt(schedule: Schedule, zone: string, at: Date): Shift {
  const t = at.getTime();
  const covering = schedule.overrides.filter((o) => Date.parse(o.from) <= t && t < Date.parse(o.to)).at(-1);
  if (covering) return { memberId: covering.member, from: new Date(covering.from), until: new Date(covering.to), override: true };
  const shift = rotationShift(schedule.rotation, zone, at);
  const members = schedule.rotation.members;
  // The turn ends early where an override begins.
  const nextOverride = Math.min(...schedule.overrides.map((o) => Date.parse(o.from)).filter((from) => from > t), shift.until.getTime());
  return { memberId: members[mod(shift.index, members.length)]!, from: shift.from, until: new Date(nextOverride), override: false };
}

/** The shifts of a schedule that overlap [from, to), overrides cut in, for calendars. */
export function shiftsBetween(schedule: Schedule, zone: string, from: Date, to: Date, maxShifts = 500): Shift[] {
  const shifts: Shift[] = [];
  let at = from;
  while (at < to && shifts.length < maxShifts) {
    const shift = shiftAt(schedule, zone, at);
    const last = shifts.at(-1);
    if (last && last.memberId === shift.memberId && last.override === shift.override && last.until.getTime() === shift.from.getTime()) {
      last.until = shift.until;
    } else {
      shifts.push({ ...shift, from: shift.from < at && shifts.length > 0 ? at : shift.from });
    }
    at = shift.until;
  }
  return shifts;
}

/** Inside one of the member's away periods. */
export function isAwayAt(member: Pick<Member, "away">, at: Date): boolean {
  const t = at.getTime();
  return (member.away ?? []).some((p) => Date.parse(p.from) <= t && t < Date.parse(p.to));
}

/** A closed date (holiday) of the business at `at`, in its zone. */
export function isClosedDate(config: Pick<DutyConfig, "timezone" | "closedDates">, at: Date): boolean {
  return (config.closedDates ?? []).includes(businessDate(config, at));
}

/**
 * Working (§10): inside their hours (the business's unless they have their own), outside their
 * away periods and the closed dates, and available.
 */
export function isWorking(config: DutyConfig, member: Member, at: Date): boolean {
  if (!member.available || isAwayAt(member, at) || isClosedDate(config, at)) return false;
  return isOpen({ timezone: config.timezone, hours: member.hours ?? config.hours }, at);
}

/** The first instant at or after `at` that the member is working, or null if none within three weeks. */
export function nextOpening(config: DutyConfig, member: Member, at: Date): Date | null {
  if (!member.available) return null;
  const hours = member.hours ?? config.hours;
  const [oh, om] = hours.open.split(":").map(Number) as [number, number];
  const [ch, cm] = hours.close.split(":").map(Number) as [number, number];
  const local = localOf(at, config.timezone);
  let candidate = at;
  for (let offset = 0; offset <= OPENING_HORIZON_DAYS; offset++) {
    const open = instantAt(config.timezone, local.y, local.m, local.d + offset, oh * 60 + om);
    const close = instantAt(config.timezone, local.y, local.m, local.d + offset, ch * 60 + cm);
    if (close <= candidate) continue;
    let start = open > candidate ? open : candidate;
    // Step past away periods that cover the start, within this day's hours.
    for (const p of [...(member.away ?? [])].sort((a, b) => Date.parse(a.from) - Date.parse(b.from))) {
      if (Date.parse(p.from) <= start.getTime() && start.getTime() < Date.parse(p.to)) start = new Date(Date.parse(p.to));
    }
    if (start < close && isWorking(config, member, start)) return start;
    candidate = start > candidate ? start : candidate;
  }
  return null;
}

export interface RoleHolding {
  /** Members who hold the role at the instant, in team order (the on-duty member, for a scheduled role). */
  members: Member[];
  /** Set for a scheduled role: its schedules' shifts, and who was passed over and why. */
  schedules: { scheduleId: string; shift: Shift; skipped: { memberId: string; why: string }[] }[];
}

/**
 * Who holds `role` at `at`. A role with schedules is held by the member on duty in each (an
 * override, else the rotation's turn); one who is unavailable or away hands it to the next in
 * the rotation, and a schedule whose members are all out holds nobody (callers fall back to the
 * manager and say so). A role without schedules is held by every available member listing it.
 */
export function roleHolding(config: DutyConfig, role: string, at: Date): RoleHolding {
  const schedules = (config.schedules ?? []).filter((s) => s.role === role);
  if (schedules.length === 0) {
    return { members: config.team.filter((m) => m.available && m.roles.includes(role)), schedules: [] };
  }
  const byId = new Map(config.team.map((m) => [m.id, m]));
  const out = (m: Member | undefined) => (!m ? "not on the team" : !m.available ? "unavailable" : isAwayAt(m, at) ? "away" : null);
  const holding: RoleHolding = { members: [], schedules: [] };
  for (const schedule of schedules) {
    const shift = shiftAt(schedule, config.timezone, at);
    const skipped: { memberId: string; why: string }[] = [];
    const turn = schedule.rotation.members;
    const first = Math.max(0, turn.indexOf(shift.memberId));
    const order = shift.override ? [shift.memberId, ...turn.slice(first + 1), ...turn.slice(0, first)] : [...turn.slice(first), ...turn.slice(0, first)];
    for (const id of order) {
      const why = out(byId.get(id));
      if (!why) {
        const member = byId.get(id)!;
        if (!holding.members.includes(member)) holding.members.push(member);
        break;
      }
      skipped.push({ memberId: id, why });
    }
    holding.schedules.push({ scheduleId: schedule.id, shift, skipped });
  }
  return holding;
}

/**
 * The `start` a rotation without one gets when applied: the date of the latest handoff at or
 * before `now`, so members[0] holds the shift under way. A rotation kept unchanged from the
 * current config (same id, length, handoff and members) keeps the start it had, so re-applying
 * a config never reshuffles who is on call.
 */
export function anchorRotations(schedules: Schedule[], current: Schedule[] | undefined, zone: string, now: Date): void {
  for (const schedule of schedules) {
    const r = schedule.rotation;
    if (r.start) continue;
    const before = current?.find((s) => s.id === schedule.id)?.rotation;
    if (before?.start && before.every === r.every && before.handoff === r.handoff && before.members.join() === r.members.join()) {
      r.start = before.start;
      continue;
    }
    r.start = latestHandoffDate(r, zone, now);
  }
}

const WEEKDAY_INDEX = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

function latestHandoffDate(rotation: Rotation, zone: string, now: Date): string {
  const handoff = handoffMinutes(rotation);
  const weekday = rotation.handoff.includes(" ") ? WEEKDAY_INDEX[rotation.handoff.split(" ")[0] as keyof typeof WEEKDAY_INDEX] : null;
  const local = localOf(now, zone);
  for (let back = 0; back <= 7; back++) {
    const at = instantAt(zone, local.y, local.m, local.d - back, handoff);
    const day = new TZDate(at.getTime(), zone);
    if (at <= now && (weekday === null || day.getDay() === weekday)) return businessDate({ timezone: zone }, at);
  }
  throw new Error(`no ${rotation.handoff} handoff in the last week`);
}

/**
 * When a non-urgent text to a member may go (CONTRACT §10): now (null) while they are working,
 * else at their next opening. Null too when they have no opening ahead (never working in the
 * next three weeks): held longer, the text would be as good as lost.
 */
export function workingSendAt(config: DutyConfig, member: Member, at: Date): Date | null {
  if (isWorking(config, member, at)) return null;
  const opening = nextOpening(config, member, at);
  return opening && opening > at ? opening : null;
}

/**
 * Of the members who would get non-urgent work, those working at `at`; when none is, all of
 * them, each waiting for their own opening, and `from` the first of those openings (a window
 * counts from then).
 */
export function workingFirst(config: DutyConfig, members: Member[], at: Date): { members: Member[]; from: Date } {
  const working = members.filter((m) => isWorking(config, m, at));
  if (working.length > 0 || members.length === 0) return { members: working, from: at };
  const openings = members.map((m) => workingSendAt(config, m, at)?.getTime() ?? at.getTime());
  return { members, from: new Date(Math.min(...openings)) };
}
