import { describe, expect, it } from "vitest";
import { acceptanceWindowMs, leadClass, nextActionDueAt, offerChannels } from "../../src/domain/escalation-policy.ts";
import { missingFields, normalizeSource, type LeadFields } from "../../src/domain/lead.ts";
import { assertTransition } from "../../src/domain/transitions.ts";
import { IllegalTransition } from "../../src/domain/errors.ts";
import { httpErrorOf } from "../../src/http/error-response.ts";
import { demoConfig } from "../helpers/demo-config.ts";

const complete: LeadFields = {
  fullName: "Jane Doe", phone: "+15125550123", serviceAddress: "12 Elm St", market: null, serviceType: "plumbing",
  urgency: "standard", source: "website", summaryNotes: "Leaking sink", promisedNextStep: "Call back",
  leadType: "service", opportunity: "standard", fit: "unknown", referralContext: null, followUpDate: null,
};

describe("the SOP's required record fields", () => {
  it("a complete record misses nothing", () => expect(missingFields(complete)).toEqual([]));

  it("names every absent required field", () => {
    expect(missingFields({ ...complete, fullName: null, summaryNotes: "  ", promisedNextStep: null })).toEqual([
      "fullName", "summaryNotes", "promisedNextStep",
    ]);
  });

  it("a market satisfies the service address", () => {
    expect(missingFields({ ...complete, serviceAddress: null, market: "Round Rock" })).toEqual([]);
    expect(missingFields({ ...complete, serviceAddress: null })).toEqual(["serviceAddress"]);
  });

  it("estimate and consult leads need a target follow-up date", () => {
    expect(missingFields({ ...complete, leadType: "estimate" })).toEqual(["followUpDate"]);
    expect(missingFields({ ...complete, leadType: "consult", followUpDate: "2026-11-30" })).toEqual([]);
  });

  it("referral-source leads must keep the referral context", () => {
    expect(missingFields({ ...complete, source: "referral" })).toEqual(["referralContext"]);
    expect(missingFields({ ...complete, source: "referral", referralContext: "Neighbor Jim" })).toEqual([]);
  });

  it("sources are stored in one spelling", () => expect(normalizeSource(" Google Ads ")).toBe("google_ads"));
});

describe("escalation windows from the SOP", () => {
  const config = demoConfig();
  const now = new Date("2026-11-23T15:00:00Z");

  it("emergency, active-loss and premium work is urgent with a 5 minute window, by SMS and voice", () => {
    expect(leadClass({ urgency: "emergency", opportunity: "standard", leadType: "service" })).toBe("urgent");
    expect(leadClass({ urgency: "active_loss", opportunity: "standard", leadType: "service" })).toBe("urgent");
    expect(leadClass({ urgency: "low", opportunity: "premium", leadType: "estimate" })).toBe("urgent");
    expect(acceptanceWindowMs(config, "urgent")).toBe(5 * 60_000);
    expect(offerChannels(config, "urgent")).toEqual(["sms", "voice"]);
  });

  it("a standard inbound lead has 15 minutes to be accepted", () => {
    expect(nextActionDueAt(config, complete, now).toISOString()).toBe("2026-11-23T15:15:00.000Z");
  });

  it("an estimate or consult lead has 60 minutes to move", () => {
    expect(nextActionDueAt(config, { ...complete, leadType: "estimate" }, now).toISOString()).toBe("2026-11-23T16:00:00.000Z");
  });

  it("a missed call's callback is due within the callback window (10 minutes by default)", () => {
    expect(nextActionDueAt(config, { ...complete, source: "missed_call" }, now).toISOString()).toBe("2026-11-23T15:10:00.000Z");
  });

  it("seconds-level windows work", () => {
    const fast = demoConfig((c) => (c.escalation!.standard = { acceptWithin: "2s", escalateTo: "office_lead", channels: ["sms"] }));
    expect(nextActionDueAt(fast, complete, now).getTime() - now.getTime()).toBe(2_000);
  });
});

describe("states", () => {
  const refused = (verb: Parameters<typeof assertTransition>[0], state: Parameters<typeof assertTransition>[1]) => {
    try {
      assertTransition(verb, state, 1042);
      return null;
    } catch (err) {
      return err as IllegalTransition;
    }
  };

  it("once accepted, a lead cannot be rejected back: reassign with a reason instead", () => {
    const err = refused("reject", "accepted");
    expect(err).toBeInstanceOf(IllegalTransition);
    expect(err).toMatchObject({ from: "accepted", action: "reject", leadCode: 1042 });
    expect(httpErrorOf(err)?.code).toBe("illegal_transition");
    expect(err?.message).toMatch(/reassign/);
  });

  it("offered leads can be accepted or rejected; closed leads nothing", () => {
    expect(refused("accept", "offered")).toBeNull();
    expect(refused("reject", "offered")).toBeNull();
    expect(httpErrorOf(refused("close", "closed"))?.status).toBe(409);
    expect(httpErrorOf(refused("update", "closed"))?.status).toBe(409);
  });
});
