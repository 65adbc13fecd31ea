import { describe, expect, it } from "vitest";
import { businessConfigSchema, type BusinessConfigInput } from "../../src/domain/business-config.ts";
import { nextEscalation, type EscalationStep, type LeadClass } from "../../src/domain/escalation-ladder.ts";

const MIN = 60_000;

/** A valid business whose `escalation` is the SOP defaults unless overridden. */
function business(escalation: BusinessConfigInput["escalation"] = {}) {
  return businessConfigSchema.parse({
    slug: "acme",
    name: "Acme Plumbing & Heating",
    timezone: "America/Chicago",
    hours: { days: ["mon", "tue", "wed", "thu", "fri"], open: "08:00", close: "17:30" },
    team: [{ id: "mia", name: "Mia Brooks", phone: "+15125550113", roles: ["manager"] }],
    routing: [{ to: { role: "manager" } }],
    escalation,
  });
}

/** Every rung from the offer until the ladder says stop. */
function climb(leadClass: LeadClass, config = business()): EscalationStep[] {
  const steps: EscalationStep[] = [];
  let level = 0;
  for (let step = nextEscalation({ leadClass, level, config }); step; step = nextEscalation({ leadClass, level, config })) {
    expect(step.level).toBe(level + 1);
    steps.push(step);
    level = step.level;
    if (steps.length > 50) throw new Error("the ladder never stops");
  }
  return steps;
}

describe("escalation windows from the SOP", () => {
  it("an urgent lead not accepted by dispatch/on-call in 5 minutes goes to the manager by SMS and call", () => {
    expect(nextEscalation({ leadClass: "urgent", level: 0, config: business() })).toEqual({
      level: 1,
      targetRole: "manager",
      channels: ["sms", "voice"],
      dueInMs: 5 * MIN,
    });
  });

  it("a standard lead unaccepted for 15 minutes goes to the office lead by SMS", () => {
    expect(nextEscalation({ leadClass: "standard", level: 0, config: business() })).toEqual({
      level: 1,
      targetRole: "office_lead",
      channels: ["sms"],
      dueInMs: 15 * MIN,
    });
  });

  it("an estimate or consult lead without movement for 60 minutes goes to sales", () => {
    expect(nextEscalation({ leadClass: "estimate", level: 0, config: business() })).toEqual({
      level: 1,
      targetRole: "sales",
      channels: ["sms"],
      dueInMs: 60 * MIN,
    });
  });

  it("an intake still incomplete after completeWithin goes to the office lead by SMS", () => {
    expect(nextEscalation({ leadClass: "incomplete", level: 0, config: business() })).toEqual({
      level: 1,
      targetRole: "office_lead",
      channels: ["sms"],
      dueInMs: 15 * MIN,
    });
  });

  it("uses the business's own windows, roles and channels, down to seconds", () => {
    const config = business({
      standard: { acceptWithin: "90s", escalateTo: "dispatch", channels: ["sms", "voice"] },
      incomplete: { completeWithin: "1h30m" },
    });
    expect(nextEscalation({ leadClass: "standard", level: 0, config })).toEqual({
      level: 1,
      targetRole: "dispatch",
      channels: ["sms", "voice"],
      dueInMs: 90_000,
    });
    expect(nextEscalation({ leadClass: "incomplete", level: 0, config })?.dueInMs).toBe(90 * MIN);
  });
});

describe("the climb after the first escalation", () => {
  it("a standard lead the office lead also leaves goes to the manager after another window", () => {
    expect(nextEscalation({ leadClass: "standard", level: 1, config: business() })).toEqual({
      level: 2,
      targetRole: "manager",
      channels: ["sms"],
      dueInMs: 15 * MIN,
    });
  });

  it("an urgent lead already at the manager skips straight to repeats to the manager by SMS and call", () => {
    expect(nextEscalation({ leadClass: "urgent", level: 1, config: business() })).toEqual({
      level: 2,
      targetRole: "manager",
      channels: ["sms", "voice"],
      dueInMs: 10 * MIN,
    });
  });

  it("an urgent lead whose first escalation is not the manager still reaches the manager by call", () => {
    const config = business({ urgent: { escalateTo: "dispatch" } });
    expect(nextEscalation({ leadClass: "urgent", level: 1, config })).toEqual({
      level: 2,
      targetRole: "manager",
      channels: ["sms", "voice"],
      dueInMs: 5 * MIN,
    });
  });

  it("repeats to the manager every `repeat.every`, exactly maxRepeats times, then stops", () => {
    const steps = climb("standard");
    expect(steps.map((s) => s.targetRole)).toEqual(["office_lead", "manager", "manager", "manager", "manager"]);
    expect(steps.slice(2).map((s) => s.dueInMs)).toEqual([10 * MIN, 10 * MIN, 10 * MIN]);
    expect(nextEscalation({ leadClass: "standard", level: 5, config: business() })).toBeNull();
  });

  it("counts the urgent manager rung as the start of the repeats, so it is never doubled", () => {
    const steps = climb("urgent");
    expect(steps.map((s) => [s.targetRole, s.dueInMs])).toEqual([
      ["manager", 5 * MIN],
      ["manager", 10 * MIN],
      ["manager", 10 * MIN],
      ["manager", 10 * MIN],
    ]);
  });

  it("with no repeats configured it still reaches the manager once before stopping (never silent)", () => {
    const config = business({ repeat: { every: "10m", maxRepeats: 0 } });
    expect(climb("standard", config).map((s) => s.targetRole)).toEqual(["office_lead", "manager"]);
    expect(climb("urgent", config).map((s) => s.targetRole)).toEqual(["manager"]);
  });

  it("bounds every class's climb by the configured repeats", () => {
    const config = business({ repeat: { every: "2m", maxRepeats: 2 } });
    for (const leadClass of ["urgent", "standard", "estimate", "incomplete"] as const) {
      const steps = climb(leadClass, config);
      expect(steps.at(-1)?.targetRole).toBe("manager");
      expect(steps.filter((s) => s.dueInMs === 2 * MIN)).toHaveLength(2);
    }
  });

  it("refuses a level that is not a whole number of escalations", () => {
    expect(() => nextEscalation({ leadClass: "standard", level: -1, config: business() })).toThrow();
    expect(() => nextEscalation({ leadClass: "standard", level: 1.5, config: business() })).toThrow();
  });
});
