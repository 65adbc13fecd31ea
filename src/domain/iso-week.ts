import { TZDate } from "@date-fns/tz";
import { addDays, getISOWeek, getISOWeekYear, startOfISOWeek } from "date-fns";

/** An ISO week as written in the API: `2026-W49`. */
export const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

export interface IsoWeekRange {
  week: string;
  /** Monday 00:00 in the zone. */
  start: Date;
  /** The next Monday 00:00 in the zone (exclusive). */
  end: Date;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The ISO week (`2026-W49`) `at` falls in, seen in `timezone`. */
export function isoWeekOf(at: Date, timezone: string): string {
  const local = new TZDate(at.getTime(), timezone);
  return `${getISOWeekYear(local)}-W${pad(getISOWeek(local))}`;
}

/** Whether `week` names a real ISO week (W53 only in years that have one). */
export function isIsoWeek(week: string): boolean {
  const m = ISO_WEEK.exec(week);
  if (!m) return false;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (year < 2000 || year > 2100 || n < 1 || n > 53) return false;
  return isoWeekOf(weekStart(year, n, "UTC"), "UTC") === week;
}

/** Monday 00:00 of ISO week `n` of `year` in the zone (4 January is always in week 1). */
function weekStart(year: number, n: number, timezone: string): Date {
  const jan4 = new TZDate(year, 0, 4, 12, 0, timezone);
  const monday = startOfISOWeek(jan4);
  const local = addDays(monday, (n - 1) * 7);
  return new Date(new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), 0, 0, timezone).getTime());
}

/** The instants an ISO week spans in a zone: [Monday 00:00, next Monday 00:00), DST included. */
export function isoWeekRange(week: string, timezone: string): IsoWeekRange {
  const m = ISO_WEEK.exec(week);
  if (!m || !isIsoWeek(week)) throw new RangeError(`not an ISO week: ${week}`);
  const start = weekStart(Number(m[1]), Number(m[2]), timezone);
  const next = new TZDate(start.getTime(), timezone);
  const end = new Date(new TZDate(next.getFullYear(), next.getMonth(), next.getDate() + 7, 0, 0, timezone).getTime());
  return { week, start, end };
}

/** The `count` ISO weeks up to and including `week`, oldest first. */
export function weeksEndingWith(week: string, count: number, timezone: string): string[] {
  const out: string[] = [];
  let at = isoWeekRange(week, timezone).start;
  for (let i = 0; i < count; i++) {
    out.unshift(isoWeekOf(at, timezone));
    at = new Date(at.getTime() - 3 * 24 * 3600_000); // into the week before (any day of it will do)
    at = isoWeekRange(isoWeekOf(at, timezone), timezone).start;
  }
  return out;
}

const WEEKDAY_INDEX: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/**
 * The next instant strictly after `after` that is `spec` (`fri 15:00`, already validated) in
 * the zone: wall-clock time, so a daylight-saving change keeps it at 15:00 there.
 */
export function nextWeekly(spec: string, timezone: string, after: Date): Date {
  const [day = "fri", time = "15:00"] = spec.split(" ");
  const [h = 0, m = 0] = time.split(":").map(Number);
  const local = new TZDate(after.getTime(), timezone);
  for (let offset = 0; offset <= 7; offset++) {
    const at = new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + offset, h, m, timezone);
    if (at.getDay() === WEEKDAY_INDEX[day] && at.getTime() > after.getTime()) return new Date(at.getTime());
  }
  throw new RangeError(`not a weekly time: ${spec}`);
}
