/**
 * Due times as an owner reads them in a text or hears them in a call. The one formatter: the
 * offer, the command replies, the missed-call note and the end-of-day review all say a due time
 * through it, so the same instant reads the same everywhere.
 */
import { dateFormat } from "../date-format.ts";
import { toGsm7 } from "./gsm7.ts";

/** How an owner reads times: in the business's own zone, relative to today there. */
export interface BusinessTime {
  /** IANA zone of the business, e.g. "America/Chicago". */
  timeZone: string;
  /** Now, from the clock port (never the wall clock): decides whether a due time needs its day. */
  now: Date;
}

const dayKey = (at: Date, timeZone: string) =>
  dateFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);

// ICU puts U+202F (narrow no-break space) before AM/PM in recent versions: outside GSM-7, it
// would turn every text into a 70-character UCS-2 message.
const plain = (text: string) => toGsm7(text.replace(/[\u202f\u00a0]/g, " "));

/**
 * "2:35 PM CST" today, "Tue 8:00 AM CST" within the next six days, "Dec 2 8:00 AM CST" beyond
 * (a bare weekday a week out would read as today).
 */
export function formatDueTime(at: Date, { timeZone, now }: BusinessTime): string {
  const time = plain(
    dateFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(at),
  );
  if (dayKey(at, timeZone) === dayKey(now, timeZone)) return time;
  const withinWeek = Math.abs(at.getTime() - now.getTime()) < 6 * 24 * 3600 * 1000;
  const day = dateFormat(
    "en-US",
    withinWeek ? { timeZone, weekday: "short" } : { timeZone, month: "short", day: "numeric" },
  ).format(at);
  return `${plain(day)} ${time}`;
}
