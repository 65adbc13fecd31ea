import { describe, expect, it } from "vitest";
import {
  afterQuietHours,
  businessDate,
  isBusinessDay,
  isOpen,
  isQuietHours,
  nextEndOfDayReview,
  type BusinessTimeConfig,
} from "../../src/domain/business-time.ts";

// Acme from the contract: Chicago, Mon–Fri 08:00–17:30, quiet 21:00–08:00.
// US daylight saving in 2026: spring forward Sun 8 March, fall back Sun 1 November.
const acme: BusinessTimeConfig = {
  timezone: "America/Chicago",
  hours: { days: ["mon", "tue", "wed", "thu", "fri"], open: "08:00", close: "17:30" },
  quietHours: { start: "21:00", end: "08:00" },
};
const utc = (iso: string) => new Date(iso);

describe("nextEndOfDayReview", () => {
  it("is 30 minutes before today's close when asked in the morning", () => {
    // Mon 23 Nov 2026 09:00 CST → 17:00 CST = 23:00Z
    expect(nextEndOfDayReview(acme, utc("2026-11-23T15:00:00Z"), "30m")).toEqual(utc("2026-11-23T23:00:00Z"));
  });

  it("moves to the next business day once today's review time has passed, even before the close", () => {
    // Tue 17:10 CST: the review (17:00) is gone, the close (17:30) is not; next is Wed 17:00.
    expect(nextEndOfDayReview(acme, utc("2026-11-24T23:10:00Z"), "30m")).toEqual(utc("2026-11-25T23:00:00Z"));
  });

  it("is strictly after the given instant", () => {
    expect(nextEndOfDayReview(acme, utc("2026-11-23T23:00:00Z"), "30m")).toEqual(utc("2026-11-24T23:00:00Z"));
  });

  it("skips the weekend from Friday evening to Monday", () => {
    // Fri 27 Nov 18:00 CST → Mon 30 Nov 17:00 CST
    expect(nextEndOfDayReview(acme, utc("2026-11-28T00:00:00Z"), "30m")).toEqual(utc("2026-11-30T23:00:00Z"));
  });

  it("keeps 17:00 local across the March change: Friday in CST, Monday in CDT", () => {
    // Fri 6 Mar 2026 17:00 CST = 23:00Z; after it, Mon 9 Mar 17:00 CDT = 22:00Z.
    expect(nextEndOfDayReview(acme, utc("2026-03-06T15:00:00Z"), "30m")).toEqual(utc("2026-03-06T23:00:00Z"));
    expect(nextEndOfDayReview(acme, utc("2026-03-06T23:00:00Z"), "30m")).toEqual(utc("2026-03-09T22:00:00Z"));
  });

  it("keeps 17:00 local on the day of the spring-forward itself", () => {
    const everyDay: BusinessTimeConfig = { ...acme, hours: { ...acme.hours, days: ["sat", "sun", "mon"] } };
    // Sat 7 Mar 18:00 CST → Sun 8 Mar 17:00 CDT (22:00Z), a day only 23 hours long.
    expect(nextEndOfDayReview(everyDay, utc("2026-03-08T00:00:00Z"), "30m")).toEqual(utc("2026-03-08T22:00:00Z"));
  });

  it("keeps 17:00 local across the November change: Friday in CDT, Monday in CST", () => {
    // Fri 30 Oct 17:00 CDT = 22:00Z; after it, Mon 2 Nov 17:00 CST = 23:00Z.
    expect(nextEndOfDayReview(acme, utc("2026-10-30T14:00:00Z"), "30m")).toEqual(utc("2026-10-30T22:00:00Z"));
    expect(nextEndOfDayReview(acme, utc("2026-10-30T22:00:00Z"), "30m")).toEqual(utc("2026-11-02T23:00:00Z"));
  });

  it("honours seconds-level and hour-and-minute offsets", () => {
    expect(nextEndOfDayReview(acme, utc("2026-11-23T15:00:00Z"), "90s")).toEqual(utc("2026-11-23T23:28:30Z"));
    expect(nextEndOfDayReview(acme, utc("2026-11-23T15:00:00Z"), "1h30m")).toEqual(utc("2026-11-23T22:00:00Z"));
  });
});

describe("business days and opening hours", () => {
  it("dates an instant by the business's calendar, not UTC's", () => {
    // 03:00Z on the 24th is still 21:00 on the 23rd in Chicago.
    expect(businessDate(acme, utc("2026-11-24T03:00:00Z"))).toBe("2026-11-23");
    expect(businessDate(acme, utc("2026-11-24T06:00:00Z"))).toBe("2026-11-24");
  });

  it("counts a Saturday as no business day even when it is Sunday in UTC", () => {
    expect(isBusinessDay(acme, utc("2026-11-29T03:00:00Z"))).toBe(false); // Sat 21:00 CST
    expect(isBusinessDay(acme, utc("2026-11-30T03:00:00Z"))).toBe(false); // Sun 21:00 CST
    expect(isBusinessDay(acme, utc("2026-12-01T03:00:00Z"))).toBe(true); // Mon 21:00 CST
  });

  it("is open from the opening minute up to, not including, the close", () => {
    expect(isOpen(acme, utc("2026-11-23T13:59:00Z"))).toBe(false); // 07:59
    expect(isOpen(acme, utc("2026-11-23T14:00:00Z"))).toBe(true); // 08:00
    expect(isOpen(acme, utc("2026-11-23T23:29:00Z"))).toBe(true); // 17:29
    expect(isOpen(acme, utc("2026-11-23T23:30:00Z"))).toBe(false); // 17:30
    expect(isOpen(acme, utc("2026-11-28T18:00:00Z"))).toBe(false); // Saturday noon
  });

  it("opens at 08:00 local on both sides of a daylight-saving change", () => {
    expect(isOpen(acme, utc("2026-03-06T14:00:00Z"))).toBe(true); // Fri 08:00 CST
    expect(isOpen(acme, utc("2026-03-09T13:00:00Z"))).toBe(true); // Mon 08:00 CDT
    expect(isOpen(acme, utc("2026-03-09T12:59:00Z"))).toBe(false); // Mon 07:59 CDT
  });
});

describe("quiet hours", () => {
  it("spans midnight: late evening and early morning are quiet, the day is not", () => {
    expect(isQuietHours(acme, utc("2026-11-24T02:59:00Z"))).toBe(false); // 20:59
    expect(isQuietHours(acme, utc("2026-11-24T03:00:00Z"))).toBe(true); // 21:00
    expect(isQuietHours(acme, utc("2026-11-24T09:00:00Z"))).toBe(true); // 03:00
    expect(isQuietHours(acme, utc("2026-11-24T14:00:00Z"))).toBe(false); // 08:00
  });

  it("leaves an instant outside quiet hours as it is", () => {
    const noon = utc("2026-11-24T18:00:00Z");
    expect(afterQuietHours(acme, noon)).toBe(noon);
  });

  it("pushes a late-evening instant to 08:00 the next morning", () => {
    // Tue 22:00 CST → Wed 08:00 CST
    expect(afterQuietHours(acme, utc("2026-11-25T04:00:00Z"))).toEqual(utc("2026-11-25T14:00:00Z"));
  });

  it("pushes an early-morning instant to 08:00 the same morning", () => {
    // Wed 03:00 CST → Wed 08:00 CST
    expect(afterQuietHours(acme, utc("2026-11-25T09:00:00Z"))).toEqual(utc("2026-11-25T14:00:00Z"));
  });

  it("ends at 08:00 local on the night the clocks spring forward (8 real hours later, not 9)", () => {
    // Sat 7 Mar 23:00 CST (05:00Z) → Sun 8 Mar 08:00 CDT (13:00Z)
    expect(afterQuietHours(acme, utc("2026-03-08T05:00:00Z"))).toEqual(utc("2026-03-08T13:00:00Z"));
  });

  it("ends at 08:00 local on the night the clocks fall back (10 real hours later)", () => {
    // Sat 31 Oct 23:00 CDT (04:00Z) → Sun 1 Nov 08:00 CST (14:00Z)
    expect(afterQuietHours(acme, utc("2026-11-01T04:00:00Z"))).toEqual(utc("2026-11-01T14:00:00Z"));
  });

  it("handles a window inside one day", () => {
    const lunch: BusinessTimeConfig = { ...acme, quietHours: { start: "12:00", end: "13:00" } };
    expect(isQuietHours(lunch, utc("2026-11-24T18:30:00Z"))).toBe(true); // 12:30
    expect(isQuietHours(lunch, utc("2026-11-24T04:00:00Z"))).toBe(false); // 22:00
    expect(afterQuietHours(lunch, utc("2026-11-24T18:30:00Z"))).toEqual(utc("2026-11-24T19:00:00Z"));
  });

  it("treats an equal start and end as no quiet hours", () => {
    const never: BusinessTimeConfig = { ...acme, quietHours: { start: "08:00", end: "08:00" } };
    expect(isQuietHours(never, utc("2026-11-24T09:00:00Z"))).toBe(false);
  });
});
