import { describe, expect, it } from "vitest";
import { askCallTimer, askWaitTimer, endOfDayTimer, escalateTimer, followUpTimer, incompleteEpisode, incompleteTimer, nextActionDueTimer, overdueTimer, qaReminderTimer, reassignWindowTimer, TIMER_KINDS } from "../../src/domain/timers/index.ts";
import { isTimerKind, readTimer, TIMER_KIND_MODULES } from "../../src/escalation/timer-kinds.ts";

const LEAD = "7d3c1f0e-0000-4000-8000-000000000001";
const OFFERED = new Date("2026-11-23T15:00:00Z");

describe("timer kind registry", () => {
  it("has a module for every kind, named for it, and none for a kind not listed", () => {
    expect(Object.keys(TIMER_KIND_MODULES).sort()).toEqual([...TIMER_KINDS].sort());
    for (const kind of TIMER_KINDS) {
      const module = TIMER_KIND_MODULES[kind];
      expect(module.kind).toBe(kind);
      expect(typeof module.fire).toBe("function");
      expect(typeof module.key).toBe("function");
    }
  });

  it("refuses a kind nobody knows, with its name, instead of throwing", () => {
    expect(isTimerKind("mystery")).toBe(false);
    expect(isTimerKind("toString")).toBe(false);
    expect(readTimer({ kind: "mystery", payload: {} })).toEqual({ refused: 'unknown timer kind "mystery"' });
  });

  it.each(TIMER_KINDS)("refuses a %s payload that is not an object instead of throwing", (kind) => {
    for (const payload of ["not an object", [1, 2], 42]) {
      const read = readTimer({ kind, payload });
      expect(read).toMatchObject({ refused: expect.stringContaining(`payload does not fit a "${kind}" timer`) });
    }
  });

  it("reads a fitting payload through the kind's schema, a garbled field falling back to its default", () => {
    const read = readTimer({ kind: "escalate", payload: { level: "two", offeredAt: OFFERED.toISOString(), extra: true } });
    expect(read).toMatchObject({ module: TIMER_KIND_MODULES.escalate, payload: { level: 0, offeredAt: OFFERED.toISOString() } });
    expect(readTimer({ kind: "end-of-day", payload: {} })).toMatchObject({ payload: {} });
  });
});

describe("timer keys", () => {
  // Keys dedupe wake-ups against rows already stored: they must stay exactly what they were.
  it("builds an offer's escalation keys, and the key of an estimate looked at again after movement", () => {
    expect(escalateTimer.key({ leadId: LEAD, offeredAt: OFFERED, level: 0 })).toBe(`escalate:${LEAD}:${OFFERED.getTime()}:0`);
    const moved = new Date("2026-11-23T16:00:00Z");
    expect(escalateTimer.key({ leadId: LEAD, offeredAt: OFFERED, level: 1, movedAt: moved })).toBe(
      `escalate:${LEAD}:${OFFERED.getTime()}:1:moved:${moved.getTime()}`,
    );
  });

  it("keys an intake stay's first wake-up by the stay, each later rung by stay and level", () => {
    expect(incompleteTimer.key({ leadId: LEAD, episode: 2 })).toBe(`incomplete:${LEAD}:2`);
    expect(incompleteTimer.key({ leadId: LEAD, episode: 2, level: 1 })).toBe(`incomplete:${LEAD}:2:1`);
  });

  it("keys a next action's reminder and overdue notice by when it was set, a follow-up by date, a reassignment by its offer", () => {
    const set = new Date("2026-11-23T15:05:00Z");
    expect(nextActionDueTimer.key({ leadId: LEAD, setAt: set })).toBe(`next-action-due:${LEAD}:${set.getTime()}`);
    expect(overdueTimer.key({ leadId: LEAD, setAt: set })).toBe(`overdue:${LEAD}:${set.getTime()}`);
    expect(followUpTimer.key({ leadId: LEAD, date: "2026-11-25", since: set })).toBe(`follow-up:${LEAD}:2026-11-25:${set.getTime()}`);
    expect(reassignWindowTimer.key({ leadId: LEAD, offeredAt: set })).toBe(`reassign-window:${LEAD}:${set.getTime()}`);
  });

  it("keys a QA reminder by business and ISO week", () => {
    expect(qaReminderTimer.key({ businessId: LEAD, week: "2026-W49" })).toBe(`qa-reminder:${LEAD}:2026-W49`);
  });

  it("refuses a reminder payload without its due time instead of guessing one", () => {
    expect(readTimer({ kind: "next-action-due", payload: { setAt: OFFERED.toISOString() } })).toMatchObject({ refused: expect.stringContaining("next-action-due") });
  });

  it("keys an ask's wait and its callback by the ask, one each", () => {
    expect(askWaitTimer.key({ askId: "a1" })).toBe("ask-wait:a1");
    expect(askCallTimer.key({ askId: "a1" })).toBe("ask-call:a1");
    expect(readTimer({ kind: "ask-wait", payload: {} })).toMatchObject({ refused: expect.stringContaining("ask-wait") });
  });

  it("keys the end-of-day review by business and date", () => {
    expect(endOfDayTimer.key({ businessId: "b1", date: "2026-11-23" })).toBe("end-of-day:b1:2026-11-23");
  });

  it("takes an intake stay from the payload, or from the key of a timer stored before the payload had it", () => {
    expect(incompleteEpisode({ level: 0, episode: 3 }, `incomplete:${LEAD}:1`)).toBe(3);
    expect(incompleteEpisode({ level: 0 }, `incomplete:${LEAD}:2`)).toBe(2);
    expect(incompleteEpisode({ level: 1 }, `incomplete:${LEAD}:2:1`)).toBe(2);
  });
});
