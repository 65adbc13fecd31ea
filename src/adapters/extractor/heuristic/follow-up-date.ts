import { TZDate } from "@date-fns/tz";
import { isoDateOf } from "../../../domain/structured-fields.ts";
import { sentences, type Turn } from "./turns.ts";

// "works"/"work?" as in "Friday works", "would Saturday work?", not "I'm at work" or "my work phone".
const SCHEDULING =
  /\b(come out|come by|stop by|swing by|schedul\w*|appointment|available|(?<!\b(?:at|from|to|my|the|of) )works?(?! (?:phone|line|number|desk|cell))|visit|estimate|consultation|walkthrough|inspection|follow up|call you|call me|out here|take a look|confirm|booked|down for|set for|see you)\b/i;
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * A date stated with a scheduling cue ("come out Thursday", "June 17th works", "would Saturday
 * morning work?", "come by on the 24th"), resolved in the business's time zone; "next
 * Thursday" is ambiguous and skipped.
 */
export function findFollowUpDate(turns: Turn[], now: Date, timezone: string): string | null {
  const local = new TZDate(now.getTime(), timezone);
  const [year, month, day, weekday] = [local.getFullYear(), local.getMonth() + 1, local.getDate(), local.getDay()];
  const plusDays = (n: number) => new Date(Date.UTC(year, month - 1, day + n)).toISOString().slice(0, 10);

  for (const sentence of turns.flatMap((t) => sentences(t.text))) {
    if (!SCHEDULING.test(sentence)) continue;
    const lower = sentence.toLowerCase();
    if (/\btomorrow\b/.test(lower)) return plusDays(1);
    if (/\b(today|this (morning|afternoon|evening))\b/.test(lower)) return plusDays(0);
    const named = /\b(?<!next |last )(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(lower);
    if (named) return plusDays(((WEEKDAYS.indexOf(named[1]!) - weekday + 7) % 7) || 7);
    const spelled = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?\b/.exec(lower);
    const numeric = /\b(\d{1,2})\/(\d{1,2})\b/.exec(lower);
    // "the 24th": that day of this month, or of the next when it has passed.
    const dayOnly = /\bthe (\d{1,2})(?:st|nd|rd|th)\b(?! (?:floor|street|st|avenue|ave|unit|apartment|one|time|house))/.exec(lower);
    const [m, d] = spelled
      ? [MONTH_NAMES.indexOf(spelled[1]!) + 1, Number(spelled[2])]
      : numeric
        ? [Number(numeric[1]), Number(numeric[2])]
        : dayOnly
          ? [Number(dayOnly[1]) >= day ? month : (month % 12) + 1, Number(dayOnly[1])]
          : [0, 0];
    if (m) {
      // A month and day without a year mean the next such date.
      const thisYear = isoDateOf(year, m, d);
      const today = plusDays(0);
      if (thisYear) return thisYear >= today ? thisYear : isoDateOf(year + 1, m, d);
    }
  }
  return null;
}
