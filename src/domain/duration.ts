/** Durations as operators write them: `90s`, `5m`, `1h`, `1h30m`, `2d`, `1w` (units in this order, each once). */
const DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** The longest window a config may hold: a year (365 days). Longer is a typo, and would overflow a Date. */
export const MAX_DURATION_MS = 365 * 24 * 60 * 60 * 1000;

type Reading = { ms: number } | { problem: string; tooLong?: true };

// The one reader every caller goes through, so the schema, the policies and the timers agree.
function read(text: string): Reading {
  const trimmed = text.trim().toLowerCase();
  const match = trimmed === "" ? null : DURATION.exec(trimmed);
  if (!match) return { problem: "not a duration (use e.g. 90s, 5m, 1h, 1h30m, 2d, 1w)" };
  const [, w = "0", d = "0", h = "0", m = "0", s = "0"] = match;
  // Digits only, so Number() is finite or Infinity; Infinity compares above the bound like any big value.
  const ms = ((((Number(w) * 7 + Number(d)) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
  if (ms <= 0) return { problem: "must be longer than zero" };
  if (ms > MAX_DURATION_MS) return { problem: "more than a year: durations are at most 365d", tooLong: true };
  return { ms };
}

/** Why a text is not an acceptable duration, or null when it is one. */
export function durationProblem(text: string): string | null {
  const reading = read(text);
  return "problem" in reading ? reading.problem : null;
}

/** Milliseconds for a duration string, or null when it is not one, is zero or is over a year. */
export function parseDuration(text: string): number | null {
  const reading = read(text);
  return "ms" in reading ? reading.ms : null;
}

/**
 * Like parseDuration, for values the config schema already validated. A value stored before the
 * bound existed is held to a year rather than failing every lead of its business.
 */
export function durationMs(text: string): number {
  const reading = read(text);
  if ("ms" in reading) return reading.ms;
  if (reading.tooLong) return MAX_DURATION_MS;
  throw new Error(`not a duration: ${text}`);
}
