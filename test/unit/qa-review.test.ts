import { describe, expect, it } from "vitest";
import { qaReminderText } from "../../src/domain/copy/qa-reminder.ts";
import { isIsoWeek, isoWeekOf, isoWeekRange, nextWeekly, weeksEndingWith } from "../../src/domain/iso-week.ts";
import { qaOf, qaSchema } from "../../src/domain/qa-config.ts";
import { isBookedOutcome, qaEvidence, spanText, type HistoryEntry } from "../../src/domain/qa-evidence.ts";
import { qaSample, seededDraw, type QaCandidate } from "../../src/domain/qa-sample.ts";
import { demoConfig } from "../helpers/demo-config.ts";

const CHICAGO = "America/Chicago";

describe("ISO weeks in the business's zone", () => {
  it("puts Sunday night in Chicago in the week it is there, not the UTC one", () => {
    expect(isoWeekOf(new Date("2026-12-07T05:00:00Z"), CHICAGO)).toBe("2026-W49");
    expect(isoWeekOf(new Date("2026-12-07T05:00:00Z"), "UTC")).toBe("2026-W50");
  });
  it("spans Monday 00:00 to the next Monday 00:00 local, across a DST change", () => {
    expect(isoWeekRange("2026-W49", CHICAGO)).toEqual({ week: "2026-W49", start: new Date("2026-11-30T06:00:00Z"), end: new Date("2026-12-07T06:00:00Z") });
    // 1 Nov 2026: CDT ends; the week is 169 hours long.
    const fall = isoWeekRange("2026-W44", CHICAGO);
    expect([fall.start.toISOString(), fall.end.toISOString()]).toEqual(["2026-10-26T05:00:00.000Z", "2026-11-02T06:00:00.000Z"]);
  });
  it("knows which years have a week 53 and refuses weeks that do not exist", () => {
    expect(isIsoWeek("2026-W53")).toBe(true);
    expect(isIsoWeek("2027-W53")).toBe(false);
    expect(isIsoWeek("2026-W00")).toBe(false);
    expect(isIsoWeek("1999-W10")).toBe(false);
    expect(isoWeekOf(new Date("2027-01-01T12:00:00Z"), CHICAGO)).toBe("2026-W53");
  });
  it("lists the last weeks across a year end, oldest first", () => {
    expect(weeksEndingWith("2027-W02", 4, CHICAGO)).toEqual(["2026-W52", "2026-W53", "2027-W01", "2027-W02"]);
  });
  it("finds the next weekday and time strictly after now, in wall-clock time", () => {
    expect(nextWeekly("fri 15:00", CHICAGO, new Date("2026-12-01T16:00:00Z"))).toEqual(new Date("2026-12-04T21:00:00Z"));
    expect(nextWeekly("fri 15:00", CHICAGO, new Date("2026-12-04T21:00:00Z"))).toEqual(new Date("2026-12-11T21:00:00Z"));
    expect(nextWeekly("fri 15:00", CHICAGO, new Date("2026-12-04T20:59:00Z"))).toEqual(new Date("2026-12-04T21:00:00Z"));
    // Across the spring change (14 March 2027): 15:00 in Chicago, CST then CDT.
    expect(nextWeekly("fri 15:00", CHICAGO, new Date("2027-03-08T12:00:00Z"))).toEqual(new Date("2027-03-12T21:00:00Z"));
    expect(nextWeekly("fri 15:00", CHICAGO, new Date("2027-03-13T12:00:00Z"))).toEqual(new Date("2027-03-19T20:00:00Z"));
  });
});

describe("qa config", () => {
  it("defaults to five a week, the manager, Friday 15:00, and reads configs from before it existed", () => {
    expect(qaSchema.parse(undefined)).toEqual({ perWeek: 5, to: "manager", remindOn: "fri 15:00" });
    expect(qaOf({})).toEqual({ perWeek: 5, to: "manager", remindOn: "fri 15:00" });
  });
  it("refuses a reminder time that is not a weekday and a 24-hour time, naming the field", () => {
    const bad = qaSchema.safeParse({ remindOn: "friday 3pm", perWeek: 0 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["perWeek", "remindOn"]);
  });
});

describe("the weekly sample", () => {
  const c = (id: string, over: Partial<QaCandidate> = {}): QaCandidate => ({ id, urgent: false, rejected: false, escalated: false, missedCall: false, ...over });
  const week = ["a", "b", "c", "d", "e", "f", "g", "h"].map((id) => c(id));
  week.push(c("u", { urgent: true }), c("r", { rejected: true }), c("m", { missedCall: true }));

  it("takes min(perWeek, n), priority handoffs first", () => {
    const sample = qaSample(week, "acme", "2026-W49", 5);
    expect(sample).toHaveLength(5);
    expect(new Set(sample.slice(0, 3).map((s) => s.id))).toEqual(new Set(["u", "r", "m"]));
    expect(qaSample(week.slice(0, 2), "acme", "2026-W49", 5)).toHaveLength(2);
    expect(qaSample([], "acme", "2026-W49", 5)).toEqual([]);
  });
  it("is the same for the same business and week whatever the order it is given in, and differs across weeks", () => {
    const one = qaSample(week, "acme", "2026-W49", 5).map((s) => s.id);
    expect(qaSample([...week].reverse(), "acme", "2026-W49", 5).map((s) => s.id)).toEqual(one);
    const weeks = new Set(["2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"].map((w) => qaSample(week, "acme", w, 5).slice(3).map((s) => s.id).join()));
    expect(weeks.size).toBeGreaterThan(1);
  });
  it("keeps its picks when a later handoff draws worse", () => {
    const before = qaSample(week, "acme", "2026-W49", 5).map((s) => s.id);
    const late = ["x1", "x2", "x3", "x4", "x5", "x6"].map((id) => c(id)).filter((x) => seededDraw(`acme|2026-W49|${x.id}`) > Math.max(...week.map((w) => seededDraw(`acme|2026-W49|${w.id}`))));
    expect(qaSample([...week, ...late], "acme", "2026-W49", 5).map((s) => s.id)).toEqual(before);
  });
});

describe("evidence for the five questions", () => {
  const config = demoConfig((c: any) => (c.outcomes = [{ id: "membership", booked: true }]));
  const at = (min: number) => new Date(Date.UTC(2026, 11, 1, 15, min));
  const e = (min: number, type: string, actor: string, detail: Record<string, unknown> = {}): HistoryEntry => ({ at: at(min), type, actor, detail });
  const lead = { urgency: "standard" as const, opportunity: "standard" as const, leadType: "service" as const, source: "website", summaryNotes: "Sink leaking", state: "closed", outcome: "membership", createdAt: at(0) };

  it("writes the facts a reviewer checks: offers, rejections, waits against the window, escalations, repeats, the outcome", () => {
    const history = [
      e(0, "created", "api"),
      e(1, "offered", "system", { to: "dana", class: "standard", missingFields: ["serviceAddress"] }),
      e(3, "rejected", "member:dana", { reason: "no gate code" }),
      e(10, "offered", "system", { to: "dana", class: "standard", missingFields: [] }),
      e(26, "escalated", "system", { level: 1, to: "omar" }),
      e(42, "merged", "vapi", { channel: "vapi", reason: "same caller within the dedupe window" }),
      e(43, "customer_message", "customer", { text: "any news?" }),
      e(45, "accepted", "member:omar"),
      e(120, "closed", "member:omar", { outcome: "membership" }),
    ];
    expect(qaEvidence(lead, history, config, at(200))).toEqual({
      ownerCorrect: ["offered to Dana Ruiz (dispatch, on_call)", "offered again to Dana Ruiz (dispatch, on_call)", "rejected by Dana Ruiz 2 min after offer", "accepted by Omar Lee"],
      notesSufficient: ["missing at first offer: serviceAddress", "rejected for: no gate code", 'summary notes: "Sink leaking"'],
      waitedTooLong: ["offered 1 min after it came in", "accepted 44 min after offer, window 15 min, escalated once to Omar Lee"],
      customerRepeated: ["customer called again 42 min later (same caller within the dedupe window)", 'customer texted 43 min after intake: "any news?"'],
      outcomeMatched: ["closed as membership (a booking) 2 h after it came in, urgency standard, source website"],
    });
  });

  it("says what is still waiting, and that nothing was repeated or rejected", () => {
    const open = { ...lead, state: "offered", outcome: null, urgency: "emergency" as const };
    const history = [e(0, "created", "api"), e(0, "offered", "system", { to: "dana", class: "urgent", missingFields: [] }), e(5, "escalated", "system", { to: "mia" }), e(15, "escalated", "system", { to: "mia" })];
    const ev = qaEvidence(open, history, config, at(95));
    expect(ev.waitedTooLong).toEqual(["offered 0 s after it came in", "not accepted 1 h 35 min after offer, window 5 min, escalated twice to Mia Brooks, Mia Brooks"]);
    expect(ev.ownerCorrect.at(-1)).toBe("no rejections or reassignments");
    expect(ev.customerRepeated).toEqual(["no repeat contact after intake"]);
    expect(ev.outcomeMatched).toEqual(["no outcome yet (offered), urgency emergency, source website"]);
  });

  it("spells spans the way people say them, and knows which outcomes are bookings", () => {
    expect([spanText(45_000), spanText(22 * 60_000), spanText(65 * 60_000), spanText(27 * 3600_000)]).toEqual(["45 s", "22 min", "1 h 5 min", "1 d 3 h"]);
    expect([isBookedOutcome(config, "booked"), isBookedOutcome(config, "membership"), isBookedOutcome(config, "lost"), isBookedOutcome(config, null)]).toEqual([true, true, false, false]);
  });
});

describe("the QA reminder text", () => {
  it("says how many of the week's handoffs are reviewed and how many are left", () => {
    expect(qaReminderText({ businessName: "Acme Plumbing & Heating", week: "2026-W49", reviewed: 2, target: 5 })).toBe(
      "Acme Plumbing & Heating QA review 2026-W49: 2 of 5 handoffs reviewed, 3 to go before the week ends.",
    );
  });
});
