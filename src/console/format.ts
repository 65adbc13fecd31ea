import { TZDate } from "@date-fns/tz";

// How the console writes times: always in the business's own zone (CONTRACT §11), with the zone named.

/** "Tue, Dec 1, 9:05 AM CST" in `timeZone`. */
export function inZone(at: Date | string | null | undefined, timeZone: string): string {
  if (!at) return "";
  const date = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat("en-US", {
    timeZone, weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short",
  }).format(date);
}

/** "4 min", "3 h 10 min", "2 d": how long ago `from` was. */
export function age(from: Date | string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(from).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1440)} d`;
}

/** The instant today began in `timeZone`. */
export function startOfToday(now: Date, timeZone: string): Date {
  const local = new TZDate(now, timeZone);
  return new Date(new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), timeZone).getTime());
}

/** The value of an `<input type="datetime-local">` ("2026-12-02T09:00") read in `timeZone`; null if it is not one. */
export function fromLocalInput(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || y < 2000 || y > 2100) return null;
  const at = new TZDate(y, mo - 1, d, h, mi, timeZone);
  return Number.isNaN(at.getTime()) ? null : new Date(at.getTime());
}

/** `at` as a datetime-local value in `timeZone`, to prefill a form. */
export function toLocalInput(at: Date, timeZone: string): string {
  const z = new TZDate(at, timeZone);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${z.getFullYear()}-${p(z.getMonth() + 1)}-${p(z.getDate())}T${p(z.getHours())}:${p(z.getMinutes())}`;
}
