/** Durations as operators write them: `90s`, `5m`, `1h`, `1h30m`, `2d`. */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Milliseconds for a duration string, or null when it is not one (or is zero). */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim().toLowerCase());
  if (!match || text.trim() === "") return null;
  const [, d = "0", h = "0", m = "0", s = "0"] = match;
  const ms = (((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
  return ms > 0 ? ms : null;
}

/** Like parseDuration, for values the config schema already validated. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new Error(`not a duration: ${text}`);
  return ms;
}
