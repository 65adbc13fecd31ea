import { describe, expect, it } from "vitest";
import { boundedDate, boundedDateTime, yearInBounds } from "../../src/domain/date-bounds.ts";

describe("date bounds", () => {
  it.each(["2000-01-01", "2026-12-25", "2100-12-31"])("%s is a date the gateway keeps", (d) =>
    expect(boundedDate().safeParse(d).success).toBe(true),
  );

  it.each(["1999-12-31", "2101-01-01", "0001-01-01", "9999-12-31"])("%s is outside 2000–2100 and refused", (d) => {
    const result = boundedDate().safeParse(d);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/between 2000 and 2100/);
  });

  it("impossible dates are refused as dates", () => {
    expect(boundedDate().safeParse("2026-02-30").error!.issues[0]!.message).toMatch(/YYYY-MM-DD/);
  });

  it("date-times are bounded by the year they are written in", () => {
    expect(boundedDateTime().safeParse("2026-11-30T10:00:00-06:00").data).toEqual(new Date("2026-11-30T16:00:00Z"));
    expect(boundedDateTime().safeParse("2101-01-01T00:00:00Z").error!.issues[0]!.message).toMatch(/between 2000 and 2100/);
    expect(boundedDateTime().safeParse("1970-01-01T00:00:00Z").success).toBe(false);
    expect(boundedDateTime().safeParse("tomorrow").error!.issues[0]!.message).toMatch(/ISO/);
  });

  it("yearInBounds reads the written year", () => {
    expect(yearInBounds("2100-12-31T23:59:59+14:00")).toBe(true);
    expect(yearInBounds("1999-12-31")).toBe(false);
  });
});
