import { describe, expect, it } from "vitest";
import { durationMs, durationProblem, MAX_DURATION_MS, parseDuration } from "../../src/domain/duration.ts";

const DAY = 86_400_000;

describe("durations", () => {
  it.each([
    ["90s", 90_000], ["2s", 2_000], ["5m", 300_000], ["1h", 3_600_000], ["1h30m", 5_400_000],
    ["2d", 2 * DAY], ["1w", 7 * DAY], ["1w2d3h4m5s", 9 * DAY + 3 * 3_600_000 + 4 * 60_000 + 5_000],
    ["52w", 364 * DAY], ["365d", 365 * DAY], ["90m", 5_400_000],
  ])("%s is %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", " ", "5", "5 minutes", "m", "0s", "0w0d", "-5m", "1.5h", "5m1h", "1w1w", "soon", "1y"])(
    "%j is not a duration",
    (text) => expect(parseDuration(text)).toBeNull(),
  );

  it.each(["99999999999d", "53w", "366d", "8761h", "525601m", "31536001s", "99999999999999999999999s"])(
    "%s is refused as longer than a year",
    (text) => {
      expect(parseDuration(text)).toBeNull();
      expect(durationProblem(text)).toMatch(/more than a year/);
    },
  );

  it("says why a value is not a duration", () => {
    expect(durationProblem("soon")).toMatch(/not a duration/);
    expect(durationProblem("0s")).toMatch(/longer than zero/);
    expect(durationProblem("1h30m")).toBeNull();
  });

  it("a value stored before the bound existed is held to a year instead of failing every lead", () => {
    expect(durationMs("99999999999d")).toBe(MAX_DURATION_MS);
    expect(() => new Date(Date.now() + durationMs("99999999999d")).toISOString()).not.toThrow();
    expect(() => durationMs("soon")).toThrow(/not a duration/);
  });
});
