import { describe, expect, it } from "vitest";
import { nextEscalation } from "../../src/domain/escalation-ladder.ts";
import {
  acceptanceWindowMs,
  classChannels,
  escalationTarget,
  escalationWindowMs,
  leadClass,
  nextActionDueAt,
  offerChannels,
  type EscalationClass,
} from "../../src/domain/escalation-policy.ts";
import { demoConfig } from "../helpers/demo-config.ts";

const MIN = 60_000;
const CLASSES: EscalationClass[] = ["urgent", "standard", "estimate", "incomplete"];

describe("the SOP's escalation windows, as a business gets them by default", () => {
  const config = demoConfig();

  it("emergency, active-loss and premium work waits 5 minutes for acceptance, then goes to the manager by SMS and call", () => {
    expect(escalationWindowMs(config, "urgent")).toBe(5 * MIN);
    expect(escalationTarget(config, "urgent")).toBe("manager");
    expect(classChannels(config, "urgent")).toEqual(["sms", "voice"]);
  });

  it("a standard inbound lead waits 15 minutes for acceptance, then goes to the office lead by SMS", () => {
    expect(escalationWindowMs(config, "standard")).toBe(15 * MIN);
    expect(escalationTarget(config, "standard")).toBe("office_lead");
    expect(classChannels(config, "standard")).toEqual(["sms"]);
  });

  it("a warm estimate or consult waits 60 minutes for any movement, then goes to the sales owner", () => {
    expect(leadClass({ urgency: "standard", opportunity: "standard", leadType: "consult" })).toBe("estimate");
    expect(escalationWindowMs(config, "estimate")).toBe(60 * MIN);
    expect(escalationTarget(config, "estimate")).toBe("sales");
  });

  it("an incomplete record waits 15 minutes with intake, then goes to the office lead by text", () => {
    expect(escalationWindowMs(config, "incomplete")).toBe(15 * MIN);
    expect(escalationTarget(config, "incomplete")).toBe("office_lead");
    expect(classChannels(config, "incomplete")).toEqual(["sms"]);
  });
});

describe("one source of truth for windows", () => {
  const custom = demoConfig((c) => {
    c.escalation = {
      urgent: { acceptWithin: "2m", escalateTo: "dispatch", channels: ["voice"] },
      standard: { acceptWithin: "90s", escalateTo: "manager", channels: ["sms", "voice"] },
      estimate: { moveWithin: "2h", escalateTo: "office_lead", channels: ["sms"] },
      incomplete: { completeWithin: "45s", escalateTo: "manager" },
    };
  });

  it("the offer's due time, its channels and the ladder's first rung all read the same window, target and channels", () => {
    const now = new Date("2026-11-23T15:00:00Z");
    for (const cls of ["urgent", "standard", "estimate"] as const) {
      const lead = {
        urgency: cls === "urgent" ? ("emergency" as const) : ("standard" as const),
        opportunity: "standard" as const,
        leadType: cls === "estimate" ? ("estimate" as const) : ("service" as const),
        source: "website",
      };
      const first = nextEscalation({ leadClass: cls, level: 0, config: custom })!;
      expect(nextActionDueAt(custom, lead, now).getTime() - now.getTime()).toBe(first.dueInMs);
      expect(acceptanceWindowMs(custom, cls)).toBe(first.dueInMs);
      expect(offerChannels(custom, cls)).toEqual(first.channels);
      expect(escalationTarget(custom, cls)).toBe(first.targetRole);
    }
  });

  it("every class's climb follows the business's own windows, down to seconds", () => {
    expect(CLASSES.map((cls) => nextEscalation({ leadClass: cls, level: 0, config: custom })!.dueInMs)).toEqual([2 * MIN, 90_000, 2 * 60 * MIN, 45_000]);
    // The manager rung after another first target waits the class's window again.
    expect(nextEscalation({ leadClass: "estimate", level: 1, config: custom })).toMatchObject({ targetRole: "manager", dueInMs: 2 * 60 * MIN });
  });
});
