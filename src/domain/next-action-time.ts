import { TZDate } from "@date-fns/tz";
import * as chrono from "chrono-node";
import { isBusinessDay, type BusinessTimeConfig } from "./business-time.ts";

/**
 * Reads the "when" of a NEXT command ("tue 9am", "tomorrow at 3", "in 2 hours", "12/3 10:30") in
 * the business's zone (CONTRACT §9). chrono-node finds the words and their calendar parts but
 * knows nothing of IANA zones (a "tue 9am" in America/Chicago came out 09:00Z), so it is handed
 * the zone's offset only to read "today" and "tomorrow" as the business does, and the wall-clock
 * parts it finds are turned into an instant with @date-fns/tz: the offset of the day named,
 * not of today, so a date across a daylight-saving change keeps its clock time. A relative
 * time ("in 2 hours") is real elapsed time and is taken as chrono computes it.
 */

export type DueTimeReading =
  /** A time in the future, and the words around it (the action). */
  | { kind: "due"; dueAt: Date; rest: string }
  /** A day without a clock time ("tomorrow", "friday"), or no time at all. */
  | { kind: "no-time"; rest: string }
  /** A time that is not after now. */
  | { kind: "past"; dueAt: Date; rest: string };

/** Words that tie the action to its time ("call back by 5pm", "quote due fri 9am"): dropped with it. */
const TRAILING_LINK = /[\s,;:-]*\b(?:by|at|on|due|before|around|@)[\s,;:-]*$/i;
const LEADING_LINK = /^[\s,;:-]*\b(?:by|at|on|due|before|around|@)\b[\s,;:-]*/i;

/** The business's UTC offset in minutes at `at` (chrono's sign: -360 for CST). */
const offsetMinutes = (timezone: string, at: Date) => -new TZDate(at.getTime(), timezone).getTimezoneOffset();

function minutesOf(clock: string): number {
  const [h = "0", m = "0"] = clock.split(":");
  return Number(h) * 60 + Number(m);
}

/**
 * The hour a bare "at 3" means: of 3 AM and 3 PM, the one inside the business's hours ("at 3" is
 * 3 PM, "at 9" is 9 AM); when neither or both are, the AM reading stays (chrono's default).
 */
function businessHour(config: BusinessTimeConfig, hour: number, minute: number): number {
  if (hour < 1 || hour > 12) return hour;
  const am = hour === 12 ? 0 : hour;
  const pm = hour === 12 ? 12 : hour + 12;
  const open = minutesOf(config.hours.open);
  const close = minutesOf(config.hours.close);
  const inside = (h: number) => h * 60 + minute >= open && h * 60 + minute < close;
  if (inside(pm) && !inside(am)) return pm;
  if (inside(am)) return am;
  return hour === 12 ? 12 : am;
}

/** Reads the due time in `text` as of `now`; the rest of the text is what is left around it. */
export function readDueTime(text: string, config: BusinessTimeConfig, now: Date): DueTimeReading {
  const reference = { instant: now, timezone: offsetMinutes(config.timezone, now) };
  // The last time mentioned is the due time: "call 2 units back friday 5pm" names it last.
  // A weekday or a bare time means the next one ("tue" on a Wednesday is next week), but a
  // calendar date is taken as written, so "12/3" on Dec 4 is in the past, not next year.
  const forward = chrono.casual.parse(text, reference, { forwardDate: true }).at(-1);
  const asWritten = chrono.casual.parse(text, reference).at(-1);
  const found = asWritten && asWritten.start.isCertain("day") ? asWritten : forward;
  if (!found) return { kind: "no-time", rest: text.trim() };
  const before = text.slice(0, found.index).replace(TRAILING_LINK, "");
  const after = text.slice(found.index + found.text.length).replace(LEADING_LINK, "");
  const rest = [before.trim(), after.trim()].filter(Boolean).join(" ");
  const start = found.start;
  if (!start.isCertain("hour")) return { kind: "no-time", rest };

  if (found.tags().has("result/relativeDateAndTime")) {
    const dueAt = start.date();
    return dueAt > now ? { kind: "due", dueAt, rest } : { kind: "past", dueAt, rest };
  }

  const minute = start.get("minute") ?? 0;
  const bare = !start.isCertain("meridiem");
  const hour = bare ? businessHour(config, start.get("hour")!, minute) : start.get("hour")!;
  const dayNamed = start.isCertain("day") || start.isCertain("weekday");
  const local = new TZDate(now.getTime(), config.timezone);
  const y = dayNamed ? start.get("year")! : local.getFullYear();
  const m = dayNamed ? start.get("month")! - 1 : local.getMonth();
  const d = dayNamed ? start.get("day")! : local.getDate();
  const at = (day: number) => new Date(new TZDate(y, m, day, hour, minute, config.timezone).getTime());
  let day = d;
  // A time without a day is its next occurrence: "at 3" said at 4 PM is 3 PM tomorrow; a bare
  // hour (no AM/PM, no day) is the next one within business hours, so it skips closed days too.
  if (!dayNamed) {
    if (at(day) <= now) day += 1;
    for (let i = 0; bare && i < 7 && !isBusinessDay(config, at(day)); i++) day += 1;
  } else if (!start.isCertain("day") && at(day) <= now) {
    // A weekday alone is the next one: "tue 9am" said on Tuesday at 10 is next Tuesday, not a
    // time already past (chrono keeps today when the day matches).
    day += 7;
  }
  const dueAt = at(day);
  return dueAt > now ? { kind: "due", dueAt, rest } : { kind: "past", dueAt, rest };
}
