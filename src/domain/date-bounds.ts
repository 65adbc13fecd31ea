import { z } from "zod";

/** Dates the gateway stores are kept to this range (CONTRACT §2): anything else is a typo. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const OUT_OF_RANGE = `must be between ${MIN_YEAR} and ${MAX_YEAR}`;

/** True when a date or date-time written as YYYY-MM-DD… falls in the kept range (by its written year). */
export function yearInBounds(iso: string): boolean {
  const year = Number(iso.slice(0, 4));
  return Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR;
}

/** A calendar date `YYYY-MM-DD` between 2000 and 2100. */
export const boundedDate = (message = "use YYYY-MM-DD") =>
  z.iso.date(message).refine(yearInBounds, { message: OUT_OF_RANGE, abort: true });

/** An ISO 8601 date-time with offset between 2000 and 2100, as written (for config, stored as JSON). */
export const boundedDateTimeText = (message = "use an ISO 8601 time with offset, e.g. 2026-11-30T16:00:00-06:00") =>
  z.iso.datetime({ offset: true, message }).refine(yearInBounds, { message: OUT_OF_RANGE, abort: true });

/** An ISO 8601 date-time with offset between 2000 and 2100, as a Date. */
export const boundedDateTime = (message?: string) => boundedDateTimeText(message).transform((v) => new Date(v));
