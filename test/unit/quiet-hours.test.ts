import { describe, expect, it } from "vitest";
import type { BusinessTimeConfig } from "../../src/domain/business-time.ts";
import { customerTextSendAt, REPLY_WINDOW_MS } from "../../src/domain/quiet-hours.ts";

// Quiet hours 21:00–08:00 in Chicago, the schema's default.
const acme: BusinessTimeConfig = {
  timezone: "America/Chicago",
  hours: { days: ["mon", "tue", "wed", "thu", "fri"], open: "08:00", close: "17:30" },
  quietHours: { start: "21:00", end: "08:00" },
};
const at = (iso: string) => new Date(iso);

describe("when an automated text to a customer may go out", () => {
  it("goes at once outside quiet hours", () => {
    expect(customerTextSendAt(acme, at("2026-11-23T15:00:00Z"), null)).toBeNull(); // 9:00 CST
    expect(customerTextSendAt(acme, at("2026-11-24T02:59:00Z"), null)).toBeNull(); // 20:59 CST
  });

  it("waits until 08:00 next morning when queued in the evening", () => {
    // 22:30 CST Monday → 08:00 CST Tuesday.
    expect(customerTextSendAt(acme, at("2026-11-24T04:30:00Z"), null)).toEqual(at("2026-11-24T14:00:00Z"));
  });

  it("waits until 08:00 the same morning when queued after midnight", () => {
    // 03:00 CST → 08:00 CST the same day.
    expect(customerTextSendAt(acme, at("2026-11-24T09:00:00Z"), null)).toEqual(at("2026-11-24T14:00:00Z"));
  });

  it("holds the start of quiet hours and releases at their end exactly", () => {
    expect(customerTextSendAt(acme, at("2026-11-24T03:00:00Z"), null)).toEqual(at("2026-11-24T14:00:00Z")); // 21:00 sharp
    expect(customerTextSendAt(acme, at("2026-11-24T14:00:00Z"), null)).toBeNull(); // 08:00 sharp
  });

  it("answers the customer's own contact of the last 15 minutes at once, even at night", () => {
    const night = at("2026-11-24T09:00:00Z"); // 03:00 CST
    expect(customerTextSendAt(acme, night, night)).toBeNull();
    expect(customerTextSendAt(acme, night, new Date(night.getTime() - REPLY_WINDOW_MS))).toBeNull();
  });

  it("holds a reply to a contact older than 15 minutes like any other text", () => {
    const night = at("2026-11-24T09:00:00Z");
    expect(customerTextSendAt(acme, night, new Date(night.getTime() - REPLY_WINDOW_MS - 1))).toEqual(at("2026-11-24T14:00:00Z"));
  });

  it("ends quiet hours at 08:00 local across the spring-forward night (CST → CDT)", () => {
    // Sat 2026-03-07 23:00 CST; clocks jump at 02:00 Sunday; 08:00 CDT is 13:00Z, not 14:00Z.
    expect(customerTextSendAt(acme, at("2026-03-08T05:00:00Z"), null)).toEqual(at("2026-03-08T13:00:00Z"));
  });

  it("ends quiet hours at 08:00 local across the fall-back night (CDT → CST)", () => {
    // Sat 2026-10-31 22:00 CDT; clocks fall back at 02:00 Sunday; 08:00 CST is 14:00Z.
    expect(customerTextSendAt(acme, at("2026-11-01T03:00:00Z"), null)).toEqual(at("2026-11-01T14:00:00Z"));
  });

  it("reads the hours in the business's own zone", () => {
    const tokyo: BusinessTimeConfig = { ...acme, timezone: "Asia/Tokyo" };
    // 15:00Z is 00:00 in Tokyo (quiet) and 09:00 in Chicago (not).
    expect(customerTextSendAt(tokyo, at("2026-11-23T15:00:00Z"), null)).toEqual(at("2026-11-23T23:00:00Z"));
  });

  it("never holds anything when quiet hours start and end at the same time", () => {
    const none: BusinessTimeConfig = { ...acme, quietHours: { start: "08:00", end: "08:00" } };
    expect(customerTextSendAt(none, at("2026-11-24T09:00:00Z"), null)).toBeNull();
  });
});
