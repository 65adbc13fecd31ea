import { TZDate } from "@date-fns/tz";
import type { BusinessConfig } from "./business-config.ts";
import { durationMs } from "./duration.ts";

/**
 * Time as the business lives it: its zone, its days, its close, its quiet hours.
 * Everything goes through wall-clock fields of a TZDate, never through fixed UTC offsets, so a
 * daylight-saving change moves the UTC instant and keeps "17:30 in Chicago" at 17:30.
 */

/** The parts of a business config that business-time math needs. */
export type BusinessTimeConfig = Pick<BusinessConfig, "timezone" | "hours"> & {
  quietHours?: BusinessConfig["quietHours"];
};

export type Weekday = BusinessConfig["hours"]["days"][number];

/** Indexed like Date#getDay(): 0 is Sunday. */
const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Quiet hours when a config has none: the schema's defaults. */
const DEFAULT_QUIET_HOURS = { start: "21:00", end: "08:00" };

/** A week and a day: enough to reach the next business day from any day with any schedule. */
const MAX_DAYS_AHEAD = 8;

/** Minutes since midnight for a validated "HH:MM". */
function minutesOf(clockTime: string): number {
  const [h = "0", m = "0"] = clockTime.split(":");
  return Number(h) * 60 + Number(m);
}

/** `at` seen in the business's zone (its getters answer in wall-clock time there). */
function zoned(at: Date, timezone: string): TZDate {
  return new TZDate(at.getTime(), timezone);
}

/**
 * The instant of a wall-clock time on a calendar day in the zone. Day overflow rolls into the
 * next month the way Date does. A time inside a spring-forward gap lands just after the gap.
 */
function wallClock(timezone: string, y: number, month: number, day: number, clockTime: string): Date {
  const minutes = minutesOf(clockTime);
  return new Date(new TZDate(y, month, day, Math.floor(minutes / 60), minutes % 60, timezone).getTime());
}

function minuteOfDay(local: TZDate): number {
  return local.getHours() * 60 + local.getMinutes();
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The calendar date (YYYY-MM-DD) of `at` in the business's zone. */
export function businessDate(config: Pick<BusinessTimeConfig, "timezone">, at: Date): string {
  const local = zoned(at, config.timezone);
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** Whether `at` falls on one of the business's working days, in its zone. */
export function isBusinessDay(config: BusinessTimeConfig, at: Date): boolean {
  const day = WEEKDAYS[zoned(at, config.timezone).getDay()];
  return day !== undefined && config.hours.days.includes(day);
}

/** Whether the business is open at `at`: a working day, from `open` up to (not including) `close`. */
export function isOpen(config: BusinessTimeConfig, at: Date): boolean {
  if (!isBusinessDay(config, at)) return false;
  const minute = minuteOfDay(zoned(at, config.timezone));
  return minute >= minutesOf(config.hours.open) && minute < minutesOf(config.hours.close);
}

/**
 * The next instant strictly after `after` that is `before` (a duration like "30m") ahead of the
 * close on a business day. This is when the end-of-day review goes out.
 */
export function nextEndOfDayReview(config: BusinessTimeConfig, after: Date, before: string): Date {
  const leadMs = durationMs(before);
  const start = zoned(after, config.timezone);
  for (let offset = 0; offset <= MAX_DAYS_AHEAD; offset++) {
    const close = wallClock(config.timezone, start.getFullYear(), start.getMonth(), start.getDate() + offset, config.hours.close);
    // Real elapsed time before the close; DST changes happen at night, far from any close.
    const review = new Date(close.getTime() - leadMs);
    if (review.getTime() > after.getTime() && isBusinessDay(config, close)) return review;
  }
  throw new Error(`no business day within ${MAX_DAYS_AHEAD} days (hours.days is empty?)`);
}

/**
 * Whether `at` is inside the business's quiet hours. They usually cross midnight (21:00–08:00);
 * equal start and end mean no quiet hours at all.
 */
export function isQuietHours(config: BusinessTimeConfig, at: Date): boolean {
  const { start, end } = config.quietHours ?? DEFAULT_QUIET_HOURS;
  const s = minutesOf(start);
  const e = minutesOf(end);
  if (s === e) return false;
  const minute = minuteOfDay(zoned(at, config.timezone));
  return s < e ? minute >= s && minute < e : minute >= s || minute < e;
}

/** `at` itself outside quiet hours; otherwise the instant the current quiet hours end. */
export function afterQuietHours(config: BusinessTimeConfig, at: Date): Date {
  if (!isQuietHours(config, at)) return at;
  const { end } = config.quietHours ?? DEFAULT_QUIET_HOURS;
  const local = zoned(at, config.timezone);
  // Before the end on this calendar day (the morning side, or a same-day window): end today.
  // Otherwise we are on the evening side of a window that crosses midnight: end tomorrow.
  const endsToday = minuteOfDay(local) < minutesOf(end);
  return wallClock(config.timezone, local.getFullYear(), local.getMonth(), local.getDate() + (endsToday ? 0 : 1), end);
}
