import { describe, expect, it } from "vitest";
import { acceptedReply } from "../../src/domain/copy/command-replies.ts";
import { formatDueTime } from "../../src/domain/copy/due-time.ts";
import { isGsm7 } from "../../src/domain/copy/gsm7.ts";
import { offerText } from "../../src/domain/copy/offer.ts";

const CHICAGO = "America/Chicago";
// Monday 23 Nov 2026, 9:00 AM in Chicago (CST, UTC-6).
const NOW = new Date("2026-11-23T15:00:00Z");
const utc = (iso: string) => new Date(iso);

describe("formatDueTime", () => {
  it.each([
    ["today: the time and zone only", "2026-11-23T20:35:00Z", NOW, CHICAGO, "2:35 PM CST"],
    ["late tonight is still today in Chicago though tomorrow in UTC", "2026-11-24T05:30:00Z", NOW, CHICAGO, "11:30 PM CST"],
    ["tomorrow morning: with its weekday", "2026-11-24T14:00:00Z", NOW, CHICAGO, "Tue 8:00 AM CST"],
    ["ten past midnight is already another day in that zone", "2026-11-24T06:10:00Z", NOW, CHICAGO, "Tue 12:10 AM CST"],
    ["summer time: CDT", "2026-07-01T19:35:00Z", utc("2026-07-01T15:00:00Z"), CHICAGO, "2:35 PM CDT"],
    ["noon", "2026-07-06T17:00:00Z", utc("2026-07-06T14:00:00Z"), CHICAGO, "12:00 PM CDT"],
    ["over a week out: month and day", "2026-12-02T14:00:00Z", NOW, CHICAGO, "Dec 2 8:00 AM CST"],
    // A bare "Mon" on a Monday would read as today; a week out gets its date.
    ["exactly a week out: its date, not a bare weekday", "2026-11-30T15:00:00Z", NOW, CHICAGO, "Nov 30 9:00 AM CST"],
    ["another business's zone", "2026-11-23T20:35:00Z", NOW, "Europe/Berlin", "9:35 PM GMT+1"],
  ])("%s", (_name, at, now, timeZone, expected) => {
    expect(formatDueTime(new Date(at), { timeZone, now })).toBe(expected);
  });

  it("uses plain ASCII only, so a text stays GSM-7", () => {
    for (const at of ["2026-11-23T20:35:00Z", "2026-11-24T14:00:00Z", "2026-12-02T14:00:00Z"]) {
      const text = formatDueTime(utc(at), { timeZone: CHICAGO, now: NOW });
      expect(text).toMatch(/^[\x20-\x7e]+$/);
      expect(isGsm7(text)).toBe(true);
    }
  });

  it("reads the day from the caller's now, not the wall clock", () => {
    const at = utc("2026-11-23T20:35:00Z");
    expect(formatDueTime(at, { timeZone: CHICAGO, now: NOW })).toBe("2:35 PM CST");
    expect(formatDueTime(at, { timeZone: CHICAGO, now: utc("2026-11-20T15:00:00Z") })).toBe("Mon 2:35 PM CST");
  });
});

describe("one due time everywhere", () => {
  // Before: the offer said "Tue 9:00 AM CST" (formatDue) and the ACCEPT reply "Dec 8 9:00 AM CST"
  // (formatDueTime) for the same instant eight days out.
  it.each([
    ["later today", "2026-11-23T20:35:00Z"],
    ["tomorrow", "2026-11-24T15:00:00Z"],
    ["eight days out", "2026-12-01T15:00:00Z"],
  ])("the offer and the ACCEPT reply say the same due time: %s", (_name, at) => {
    const dueAt = utc(at);
    const offer = offerText({
      code: 1042, urgency: "standard", fullName: "Jane Doe", phone: "+15125550123", place: "12 Elm St",
      serviceType: "plumbing", summaryNotes: "Leaky tap", promisedNextStep: "Call back", dueAt, timeZone: CHICAGO, now: NOW,
      missingFields: [],
    });
    const reply = acceptedReply({ code: 1042, customerName: "Jane Doe", dueAt, timeZone: CHICAGO, now: NOW });
    const offered = /, due (.+?)\. Reply/.exec(offer)?.[1];
    const accepted = /Due (.+?)\./.exec(reply)?.[1];
    expect(offered).toBeDefined();
    expect(offered).toBe(accepted);
    expect(offered).toBe(formatDueTime(dueAt, { timeZone: CHICAGO, now: NOW }));
  });
});
