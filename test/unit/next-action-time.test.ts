import { describe, expect, it } from "vitest";
import type { BusinessTimeConfig } from "../../src/domain/business-time.ts";
import { readDueTime } from "../../src/domain/next-action-time.ts";

// Chicago, open 08:00–17:30 on weekdays. Every expectation is a UTC instant worked out by hand
// from the wall clock in Chicago (CST = UTC−6, CDT = UTC−5).
const config: BusinessTimeConfig = { timezone: "America/Chicago", hours: { days: ["mon", "tue", "wed", "thu", "fri"], open: "08:00", close: "17:30" } };
/** Monday 23 Nov 2026, 9:00 AM CST. */
const MONDAY_9AM = new Date("2026-11-23T15:00:00Z");

const due = (text: string, now = MONDAY_9AM, c = config) => {
  const r = readDueTime(text, c, now);
  return r.kind === "due" ? { at: r.dueAt.toISOString(), rest: r.rest } : r;
};

describe("readDueTime in the business's zone", () => {
  it.each<[string, string, string]>([
    ["call to book tue 9am", "2026-11-24T15:00:00.000Z", "call to book"],
    ["send quote friday 5pm", "2026-11-27T23:00:00.000Z", "send quote"],
    ["call back tomorrow at 3", "2026-11-24T21:00:00.000Z", "call back"],
    ["call back in 2 hours", "2026-11-23T17:00:00.000Z", "call back"],
    ["12/3 10:30 call back", "2026-12-03T16:30:00.000Z", "call back"],
    ["call back at 3", "2026-11-23T21:00:00.000Z", "call back"],
    ["call back by 5pm", "2026-11-23T23:00:00.000Z", "call back"],
    ["call back at noon", "2026-11-23T18:00:00.000Z", "call back"],
  ])("%s → %s", (text, at, rest) => {
    expect(due(text)).toEqual({ at, rest });
  });

  it("is not the UTC reading chrono gives alone: tue 9am in Chicago is 15:00Z, not 09:00Z", () => {
    expect(due("tue 9am")).toMatchObject({ at: "2026-11-24T15:00:00.000Z" });
  });

  it("a bare hour within business hours: at 9 is 9 AM, at 3 is 3 PM", () => {
    expect(due("visit tomorrow at 9")).toMatchObject({ at: "2026-11-24T15:00:00.000Z" });
    expect(due("visit tomorrow at 3")).toMatchObject({ at: "2026-11-24T21:00:00.000Z" });
  });

  it("a bare hour follows the business's own hours (a night shop's at 9 is 9 PM)", () => {
    const night = { ...config, hours: { ...config.hours, open: "18:00", close: "23:00" } };
    expect(due("visit tomorrow at 9", MONDAY_9AM, night)).toMatchObject({ at: "2026-11-25T03:00:00.000Z" });
  });

  it("a time of day already past today is tomorrow's", () => {
    const fourPm = new Date("2026-11-23T22:00:00Z");
    expect(due("call back at 3", fourPm)).toMatchObject({ at: "2026-11-24T21:00:00.000Z" });
  });

  it("a bare hour with no day skips to the next business day; a time with AM/PM does not", () => {
    const fridayFourPm = new Date("2026-11-27T22:00:00Z");
    expect(due("call back at 3", fridayFourPm)).toMatchObject({ at: "2026-11-30T21:00:00.000Z" }); // Monday 3 PM
    expect(due("call back at 3pm", fridayFourPm)).toMatchObject({ at: "2026-11-28T21:00:00.000Z" }); // Saturday, as asked
  });

  it("a weekday whose time passed today is next week's", () => {
    const tuesdayTen = new Date("2026-11-24T16:00:00Z");
    expect(due("call to book tue 9am", tuesdayTen)).toMatchObject({ at: "2026-12-01T15:00:00.000Z" });
    expect(due("call to book tue 11am", tuesdayTen)).toMatchObject({ at: "2026-11-24T17:00:00.000Z" });
  });

  it("a calendar date already past is past, not next year", () => {
    expect(readDueTime("call 11/20 9am", config, MONDAY_9AM)).toMatchObject({ kind: "past", dueAt: new Date("2026-11-20T15:00:00Z") });
  });

  it.each(["call to book", "call back tomorrow", "quote friday", ""])("no time of day in %j asks for one", (text) => {
    expect(readDueTime(text, config, MONDAY_9AM).kind).toBe("no-time");
  });

  describe("across daylight saving", () => {
    // Sunday 8 Mar 2026, 2:00 AM CST → 3:00 AM CDT; Sunday 1 Nov 2026, 2:00 AM CDT → 1:00 AM CST.
    it("a weekday after spring forward keeps its clock time (mon 9am is 14:00Z, not 15:00Z)", () => {
      const saturday = new Date("2026-03-07T16:00:00Z"); // Sat 10:00 CST
      expect(due("call mon 9am", saturday)).toMatchObject({ at: "2026-03-09T14:00:00.000Z" });
    });

    it("a weekday after fall back keeps its clock time (mon 9am is 15:00Z, not 14:00Z)", () => {
      const saturday = new Date("2026-10-31T15:00:00Z"); // Sat 10:00 CDT
      expect(due("call mon 9am", saturday)).toMatchObject({ at: "2026-11-02T15:00:00.000Z" });
    });

    it("a date across the change keeps its clock time", () => {
      const friday = new Date("2026-03-06T16:00:00Z"); // Fri 10:00 CST
      expect(due("3/10 8:30 site visit", friday)).toMatchObject({ at: "2026-03-10T13:30:00.000Z", rest: "site visit" });
    });

    it("in 2 hours across the change is two real hours", () => {
      const early = new Date("2026-03-08T07:30:00Z"); // 1:30 AM CST; two hours later it is 4:30 AM CDT
      expect(due("call in 2 hours", early)).toMatchObject({ at: "2026-03-08T09:30:00.000Z" });
    });

    it("tomorrow at 3 on the day of the change is 3 PM by the new clock", () => {
      const saturday = new Date("2026-03-07T16:00:00Z");
      expect(due("call tomorrow at 3", saturday)).toMatchObject({ at: "2026-03-08T20:00:00.000Z" });
    });
  });

  it("reads another zone the same way (Europe/Berlin)", () => {
    const berlin = { ...config, timezone: "Europe/Berlin" };
    expect(due("call tue 9am", MONDAY_9AM, berlin)).toMatchObject({ at: "2026-11-24T08:00:00.000Z" });
  });
});
