import { TZDate } from "@date-fns/tz";
import type { BusinessRow } from "../core/records.ts";
import { AppError } from "../errors.ts";

/** A bound as an instant: a bare date is its midnight in the business's zone. */
function instantOf(value: string, timezone: string): Date {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) return new Date(new TZDate(Number(date[1]), Number(date[2]) - 1, Number(date[3]), 0, 0, timezone).getTime());
  return new Date(value);
}

/**
 * The [from, to) of GET /api/metrics (and the console's metrics page): dates are midnight in the
 * business's zone, `to` defaults to now and `from` to 30 days before `to`; 400 naming the bound
 * that is no date or timestamp, outside 2000–2100, or a `from` not before `to`.
 */
export function metricsRange(business: BusinessRow, from: string | undefined, to: string | undefined, now: Date): { from: Date; to: Date } {
  const zone = business.config.timezone;
  const end = to ? instantOf(to, zone) : now;
  const start = from ? instantOf(from, zone) : new Date(end.getTime() - 30 * 24 * 3600_000);
  const problems = [start, end].flatMap((d, i) =>
    Number.isNaN(d.getTime())
      ? [{ path: i ? "to" : "from", message: "use YYYY-MM-DD (business zone) or an ISO timestamp" }]
      : d.getUTCFullYear() < 2000 || d.getUTCFullYear() > 2100
        ? [{ path: i ? "to" : "from", message: "outside 2000–2100" }]
        : [],
  );
  if (!problems.length && start >= end) problems.push({ path: "from", message: "must be before `to`" });
  if (problems.length) throw new AppError("validation_failed", "The query is invalid.", problems);
  return { from: start, to: end };
}
