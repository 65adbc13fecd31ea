import { describe, expect, it } from "vitest";
import { businessConfigSchema } from "../../src/domain/business-config.ts";
import { anchorRotations, isWorking, nextOpening, roleHolding, rotationShift, shiftAt, shiftsBetween, workingFirst, workingSendAt } from "../../src/domain/on-duty.ts";
import { onCallAt } from "../../src/admin/on-call.ts";
import type { Schedule } from "../../src/domain/schedule-config.ts";
import { demoConfig, demoInput } from "../helpers/demo-config.ts";

const CHICAGO = "America/Chicago";
const weekly = (over: Partial<Schedule["rotation"]> = {}, overrides: Schedule["overrides"] = []): Schedule => ({
  id: "on-call",
  role: "on_call",
  rotation: { every: "1w", handoff: "mon 08:00", members: ["dana", "omar", "sam"], start: "2026-11-02", ...over },
  overrides,
});
const who = (s: Schedule, at: string) => shiftAt(s, CHICAGO, new Date(at)).memberId;

describe("rotations", () => {
  it("hands off weekly at the handoff's weekday and time, in turn, from the start", () => {
    const s = weekly();
    expect(who(s, "2026-11-02T14:00:00Z")).toBe("dana"); // Mon 08:00 CST, the first shift begins
    expect(who(s, "2026-11-02T13:59:00Z")).toBe("sam"); // a minute before: the turn before the start
    expect(who(s, "2026-11-08T23:00:00Z")).toBe("dana"); // Sun evening, same week
    expect(who(s, "2026-11-09T14:00:00Z")).toBe("omar");
    expect(who(s, "2026-11-16T14:00:00Z")).toBe("sam");
    expect(who(s, "2026-11-23T14:00:00Z")).toBe("dana");
  });

  it("keeps the handoff at 08:00 local across the end of daylight saving time", () => {
    // DST ends Sun 2026-11-01 in Chicago: Mon 10-26 08:00 is 13:00Z (CDT), Mon 11-02 08:00 is 14:00Z (CST).
    const s = weekly({ start: "2026-10-26" });
    const before = rotationShift(s.rotation, CHICAGO, new Date("2026-10-28T12:00:00Z"));
    expect(before.from.toISOString()).toBe("2026-10-26T13:00:00.000Z");
    expect(before.until.toISOString()).toBe("2026-11-02T14:00:00.000Z");
    expect(who(s, "2026-11-02T13:30:00Z")).toBe("dana"); // 07:30 CST: still dana's week
    expect(who(s, "2026-11-02T14:00:00Z")).toBe("omar");
  });

  it("keeps the handoff at 08:00 local across the start of daylight saving time", () => {
    // DST starts Sun 2027-03-14: Mon 03-08 08:00 CST is 14:00Z, Mon 03-15 08:00 CDT is 13:00Z.
    const s = weekly({ start: "2027-03-08" });
    const shift = rotationShift(s.rotation, CHICAGO, new Date("2027-03-10T12:00:00Z"));
    expect(shift.from.toISOString()).toBe("2027-03-08T14:00:00.000Z");
    expect(shift.until.toISOString()).toBe("2027-03-15T13:00:00.000Z");
    expect(shift.until.getTime() - shift.from.getTime()).toBe(167 * 3_600_000); // the week is an hour short
  });

  it("daily and sub-day rotations hand off at the time alone", () => {
    const daily = weekly({ every: "1d", handoff: "07:00", members: ["dana", "omar"], start: "2026-11-23" });
    expect(who(daily, "2026-11-23T13:00:00Z")).toBe("dana"); // 07:00 CST
    expect(who(daily, "2026-11-24T12:59:00Z")).toBe("dana"); // 06:59 next day
    expect(who(daily, "2026-11-24T13:00:00Z")).toBe("omar");
    const halves = weekly({ every: "12h", handoff: "08:00", members: ["dana", "omar"], start: "2026-11-23" });
    expect(who(halves, "2026-11-23T15:00:00Z")).toBe("dana"); // 09:00
    expect(who(halves, "2026-11-24T03:00:00Z")).toBe("omar"); // 21:00
    expect(who(halves, "2026-11-24T13:59:00Z")).toBe("omar"); // 07:59 next day
    expect(who(halves, "2026-11-24T14:00:00Z")).toBe("dana");
  });

  it("an override wins while it lasts, the later of two overlapping ones winning, and cuts the turn's until", () => {
    const s = weekly({}, [
      { member: "sam", from: "2026-11-04T00:00:00-06:00", to: "2026-11-06T00:00:00-06:00" },
      { member: "omar", from: "2026-11-05T00:00:00-06:00", to: "2026-11-05T12:00:00-06:00" },
    ]);
    expect(who(s, "2026-11-03T12:00:00Z")).toBe("dana");
    expect(shiftAt(s, CHICAGO, new Date("2026-11-03T12:00:00Z")).until.toISOString()).toBe("2026-11-04T06:00:00.000Z");
    expect(who(s, "2026-11-04T12:00:00Z")).toBe("sam");
    expect(who(s, "2026-11-05T12:00:00Z")).toBe("omar");
    expect(who(s, "2026-11-05T20:00:00Z")).toBe("sam");
    expect(who(s, "2026-11-06T12:00:00Z")).toBe("dana");
  });

  it("lists the shifts of a span, overrides cut in, for the calendar feed", () => {
    const s = weekly({}, [{ member: "sam", from: "2026-11-04T00:00:00-06:00", to: "2026-11-05T00:00:00-06:00" }]);
    const shifts = shiftsBetween(s, CHICAGO, new Date("2026-11-02T14:00:00Z"), new Date("2026-11-16T14:00:00Z"));
    expect(shifts.map((x) => [x.memberId, x.from.toISOString(), x.until.toISOString()])).toEqual([
      ["dana", "2026-11-02T14:00:00.000Z", "2026-11-04T06:00:00.000Z"],
      ["sam", "2026-11-04T06:00:00.000Z", "2026-11-05T06:00:00.000Z"],
      ["dana", "2026-11-05T06:00:00.000Z", "2026-11-09T14:00:00.000Z"],
      ["omar", "2026-11-09T14:00:00.000Z", "2026-11-16T14:00:00.000Z"],
    ]);
  });
});

describe("who holds a role", () => {
  const withRotation = (change: (c: ReturnType<typeof demoInput>) => void = () => {}) =>
    demoConfig((c) => {
      (c as { schedules?: unknown[] }).schedules = [weekly()];
      change(c);
    });

  it("a scheduled role is held by the member on duty only, whoever else lists it", () => {
    const config = withRotation();
    expect(roleHolding(config, "on_call", new Date("2026-11-10T08:00:00Z")).members.map((m) => m.id)).toEqual(["omar"]);
    // dana lists on_call in her roles, but it is not her week.
    expect(config.team.find((m) => m.id === "dana")!.roles).toContain("on_call");
  });

  it("an on-duty member who is away hands the role to the next in the rotation, saying why", () => {
    const config = withRotation((c) => {
      c.team.find((m) => m.id === "omar")!.away = [{ from: "2026-11-10T00:00:00-06:00", to: "2026-11-11T00:00:00-06:00" }];
    });
    const holding = roleHolding(config, "on_call", new Date("2026-11-10T12:00:00Z"));
    expect(holding.members.map((m) => m.id)).toEqual(["sam"]);
    expect(holding.schedules[0]!.skipped).toEqual([{ memberId: "omar", why: "away" }]);
  });

  it("a schedule whose members are all out holds nobody (the caller falls back to the manager)", () => {
    const config = withRotation((c) => {
      for (const m of c.team) if (["dana", "omar", "sam"].includes(m.id)) m.available = false;
    });
    expect(roleHolding(config, "on_call", new Date("2026-11-10T12:00:00Z")).members).toEqual([]);
  });

  it("a role without a schedule is held by every available member listing it", () => {
    const config = demoConfig((c) => {
      (c as { schedules?: unknown[] }).schedules = [];
      c.team.find((m) => m.id === "sam")!.roles.push("on_call");
    });
    expect(roleHolding(config, "on_call", new Date()).members.map((m) => m.id)).toEqual(["dana", "sam"]);
  });
});

describe("working and the next opening", () => {
  const config = demoConfig((c) => {
    (c as { closedDates?: string[] }).closedDates = ["2026-12-25"];
  });
  const dana = config.team.find((m) => m.id === "dana")!;

  it("working means inside the hours, outside away periods and closed dates", () => {
    expect(isWorking(config, dana, new Date("2026-11-23T15:00:00Z"))).toBe(true); // Mon 09:00
    expect(isWorking(config, dana, new Date("2026-11-24T08:00:00Z"))).toBe(false); // Tue 02:00
    expect(isWorking(config, dana, new Date("2026-11-28T16:00:00Z"))).toBe(false); // Saturday
    expect(isWorking(config, dana, new Date("2026-12-25T16:00:00Z"))).toBe(false); // closed date, a Friday
  });

  it("the next opening of a 2 AM lead is 08:00 that day; of a Friday evening, Monday 08:00; past a holiday, the next open day", () => {
    expect(nextOpening(config, dana, new Date("2026-11-24T08:00:00Z"))?.toISOString()).toBe("2026-11-24T14:00:00.000Z");
    expect(nextOpening(config, dana, new Date("2026-11-28T01:00:00Z"))?.toISOString()).toBe("2026-11-30T14:00:00.000Z");
    expect(nextOpening(config, dana, new Date("2026-12-24T23:45:00Z"))?.toISOString()).toBe("2026-12-28T14:00:00.000Z");
    expect(nextOpening(config, dana, new Date("2026-11-23T15:00:00Z"))?.toISOString()).toBe("2026-11-23T15:00:00.000Z"); // working: now
  });

  it("a member's own hours and time off decide their opening", () => {
    const own = demoConfig((c) => {
      const m = c.team.find((x) => x.id === "dana")!;
      m.hours = { days: ["tue", "wed"], open: "10:00", close: "14:00" };
      m.away = [{ from: "2026-11-24T00:00:00-06:00", to: "2026-11-25T12:00:00-06:00" }];
    });
    const me = own.team.find((m) => m.id === "dana")!;
    // Monday: not her day; Tuesday away; Wednesday from noon, when the time off ends.
    expect(nextOpening(own, me, new Date("2026-11-23T15:00:00Z"))?.toISOString()).toBe("2026-11-25T18:00:00.000Z");
  });

  it("a non-urgent text to a member goes now while they work, else at their next opening", () => {
    expect(workingSendAt(config, dana, new Date("2026-11-23T15:00:00Z"))).toBeNull();
    expect(workingSendAt(config, dana, new Date("2026-11-24T08:00:00Z"))?.toISOString()).toBe("2026-11-24T14:00:00.000Z");
  });

  it("non-urgent work goes to those working now; with nobody working, to all, from the first opening", () => {
    const two = demoConfig((c) => {
      c.team.push({ id: "lee", name: "Lee", phone: "+15125550116", roles: ["intake"], hours: { days: ["tue"], open: "06:00", close: "12:00" } });
    });
    const intake = two.team.filter((m) => m.roles.includes("intake"));
    const night = workingFirst(two, intake, new Date("2026-11-24T08:00:00Z")); // Tue 02:00
    expect(night.members.map((m) => m.id)).toEqual(["ivy", "lee"]);
    expect(night.from.toISOString()).toBe("2026-11-24T12:00:00.000Z"); // lee's 06:00
    const early = workingFirst(two, intake, new Date("2026-11-24T13:00:00Z")); // Tue 07:00: only lee works
    expect(early).toEqual({ members: [expect.objectContaining({ id: "lee" })], from: new Date("2026-11-24T13:00:00Z") });
  });
});

describe("the demo business", () => {
  it("has an on-call rotation, so npm start names who is on call and until when", () => {
    const config = demoConfig();
    expect(config.schedules.map((s) => [s.id, s.role])).toEqual([["on-call", "on_call"]]);
    const onCall = onCallAt(config, new Date("2026-11-24T08:00:00Z")).roles.on_call;
    expect(["dana", "omar"]).toContain(onCall?.memberId);
    expect(onCall?.until).not.toBeNull();
  });
});

describe("schedules in the config", () => {
  const parse = (schedules: unknown) => businessConfigSchema.safeParse({ ...demoInput(), schedules });
  const problems = (schedules: unknown) => {
    const r = parse(schedules);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("names every problem: a member not on the team, an override ending before it starts, a weekly handoff without a day", () => {
    expect(
      problems([
        { id: "oc", role: "on_call", rotation: { every: "1w", handoff: "08:00", members: ["dana", "zed"] }, overrides: [{ member: "kim", from: "2026-11-05T00:00:00-06:00", to: "2026-11-04T00:00:00-06:00" }] },
      ]),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^schedules\.0\.rotation\.handoff: a rotation of a week or more hands off on a weekday/),
        "schedules.0.overrides.0.to: to must be after from",
        'schedules.0.rotation.members.1: no team member "zed"',
        'schedules.0.overrides.0.member: no team member "kim"',
      ]),
    );
  });

  it("refuses a start that is not the handoff's weekday and a duplicate schedule id", () => {
    const s = { id: "oc", role: "on_call", rotation: { every: "1w", handoff: "mon 08:00", members: ["dana"], start: "2026-11-03" } };
    expect(problems([s, { ...s, rotation: { ...s.rotation, start: "2026-11-02" } }])).toEqual([
      "schedules.0.rotation.start: 2026-11-03 is not a mon, the rotation's handoff day",
      'schedules.1.id: duplicate schedule id "oc"',
    ]);
  });

  it("a rotation applied without a start counts from the shift under way, and keeps that start while unchanged", () => {
    const first = [weekly({ start: undefined })];
    anchorRotations(first, undefined, CHICAGO, new Date("2026-11-25T18:00:00Z")); // a Wednesday
    expect(first[0]!.rotation.start).toBe("2026-11-23");
    expect(who(first[0]!, "2026-11-25T18:00:00Z")).toBe("dana"); // members[0] holds the shift under way

    const again = [weekly({ start: undefined })];
    anchorRotations(again, first, CHICAGO, new Date("2026-12-09T18:00:00Z"));
    expect(again[0]!.rotation.start).toBe("2026-11-23");

    const changed = [weekly({ start: undefined, members: ["omar", "dana"] })];
    anchorRotations(changed, first, CHICAGO, new Date("2026-12-09T18:00:00Z"));
    expect(changed[0]!.rotation.start).toBe("2026-12-07");
  });
});
