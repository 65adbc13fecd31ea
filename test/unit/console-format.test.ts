import { describe, expect, it } from "vitest";
import { fromLocalInput, inZone, startOfToday, toLocalInput } from "../../src/console/format.ts";
import { lineDiff } from "../../src/console/line-diff.ts";

describe("console times, in the business's zone", () => {
  it("reads a datetime-local value in the zone, across the DST change, and writes it back", () => {
    expect(fromLocalInput("2026-11-24T09:00", "America/Chicago")?.toISOString()).toBe("2026-11-24T15:00:00.000Z");
    expect(fromLocalInput("2026-07-01T09:00", "America/Chicago")?.toISOString()).toBe("2026-07-01T14:00:00.000Z");
    expect(toLocalInput(new Date("2026-11-24T15:00:00Z"), "America/Chicago")).toBe("2026-11-24T09:00");
    for (const bad of ["", "tomorrow", "2026-13-01T09:00", "2026-11-24T25:00", "1999-01-01T09:00", "2026-11-24 09:00"]) expect(fromLocalInput(bad, "UTC"), bad).toBeNull();
  });

  it("names the zone and finds the start of today there", () => {
    expect(inZone("2026-11-24T15:00:00Z", "America/Chicago")).toBe("Tue, Nov 24, 9:00 AM CST");
    expect(inZone("not a date", "UTC")).toBe("");
    expect(startOfToday(new Date("2026-11-24T03:00:00Z"), "America/Chicago").toISOString()).toBe("2026-11-23T06:00:00.000Z");
  });
});

describe("the config diff", () => {
  it("lists removed and added lines around the kept ones", () => {
    const diff = lineDiff("a\nb\nc\nd", "a\nc\nd\ne");
    expect(diff).toEqual([
      { kind: "same", text: "a" },
      { kind: "del", text: "b" },
      { kind: "same", text: "c" },
      { kind: "same", text: "d" },
      { kind: "add", text: "e" },
    ]);
    expect(lineDiff("x", "x")).toEqual([{ kind: "same", text: "x" }]);
  });
});
