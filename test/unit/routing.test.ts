import { describe, expect, it } from "vitest";
import { chooseOwner, matchRule, sameText, type RoutableLead } from "../../src/domain/routing.ts";
import { demoConfig } from "../helpers/demo-config.ts";

const lead = (over: Partial<RoutableLead> = {}): RoutableLead => ({
  urgency: "standard", opportunity: "standard", leadType: "service", source: "website",
  serviceType: "plumbing", fit: "unknown", market: null, channel: "manual", ...over,
});
const never = new Map<string, Date>();
/** Monday 09:00 in Chicago: inside the demo business's hours. */
const at = new Date("2026-11-23T15:00:00Z");

describe("routing", () => {
  it("first matching rule wins: an emergency goes to on-call before any later rule", () => {
    const config = demoConfig();
    expect(matchRule(config.routing, lead({ urgency: "emergency", leadType: "estimate" }))).toBe(0);
    expect(chooseOwner(config, lead({ urgency: "emergency" }), never, { at })?.member.id).toBe("dana");
  });

  it("an empty match matches every lead", () => {
    expect(matchRule(demoConfig().routing, lead())).toBe(4);
    expect(chooseOwner(demoConfig(), lead(), never, { at })?.via).toBe("role:dispatch");
  });

  it("estimate and consult leads go to sales", () => {
    expect(chooseOwner(demoConfig(), lead({ leadType: "consult" }), never, { at })?.member.id).toBe("sam");
  });

  it("recovered missed calls go to a named member, not a generic pool", () => {
    expect(chooseOwner(demoConfig(), lead({ source: "missed_call" }), never, { at })?.via).toBe("member:ivy");
  });

  it("a role held by several members is served least recently offered first", () => {
    const config = demoConfig((c) => c.team.push({ id: "lee", name: "Lee", phone: "+15125550116", roles: ["dispatch"] }));
    expect(chooseOwner(config, lead(), never, { at })?.member.id).toBe("dana");
    const afterDana = new Map([["dana", new Date("2026-11-23T10:00:00Z")]]);
    expect(chooseOwner(config, lead(), afterDana, { at })?.member.id).toBe("lee");
    const both = new Map([["dana", new Date("2026-11-23T10:00:00Z")], ["lee", new Date("2026-11-23T11:00:00Z")]]);
    expect(chooseOwner(config, lead(), both, { at })?.member.id).toBe("dana");
  });

  it("members marked unavailable are skipped", () => {
    const config = demoConfig((c) => {
      c.team.push({ id: "lee", name: "Lee", phone: "+15125550116", roles: ["dispatch"] });
      c.team[0]!.available = false;
    });
    expect(chooseOwner(config, lead(), never, { at })?.member.id).toBe("lee");
  });

  it("falls back to the manager when the rule's role is empty", () => {
    const config = demoConfig((c) => (c.team[0]!.available = false));
    expect(chooseOwner(config, lead(), never, { at })).toMatchObject({ member: { id: "mia" }, via: "fallback:manager" });
  });

  it("an emergency is never left unowned, even with on-call and the manager away", () => {
    const config = demoConfig((c) => {
      for (const m of c.team) if (m.roles.some((r) => ["on_call", "manager", "dispatch"].includes(r))) m.available = false;
    });
    const decision = chooseOwner(config, lead({ urgency: "active_loss" }), never, { at });
    expect(decision?.via).toBe("fallback:anyone");
    expect(["omar", "sam", "ivy"]).toContain(decision?.member.id);
  });

  it("a standard lead with nobody to take it is left with intake (null)", () => {
    const config = demoConfig((c) => {
      c.team[0]!.available = false;
      c.team[2]!.available = false;
    });
    expect(chooseOwner(config, lead(), never, { at })).toBeNull();
  });

  it("an unavailable named member falls back to the manager", () => {
    const config = demoConfig((c) => (c.team[4]!.available = false));
    expect(chooseOwner(config, lead({ source: "missed_call" }), never, { at })?.member.id).toBe("mia");
  });
});

describe("routing comparisons", () => {
  const rules = (match: Record<string, string[]>) => demoConfig((c) => (c.routing = [{ match, to: { role: "sales" } }])).routing;

  it.each([
    ["serviceType", "AC install", "ac install"],
    ["serviceType", "  Water   Heater ", "water heater"],
    ["serviceType", "water heater", "Water\tHeater"],
    ["market", "North Austin", "north  austin"],
  ])("free-text %s %j matches a lead's %j", (field, allowed, value) => {
    expect(matchRule(rules({ [field]: [allowed] }), lead({ [field]: value }))).toBe(0);
  });

  it("sources compare in the spelling leads store them in (\"Google Ads\" is google_ads)", () => {
    expect(matchRule(rules({ source: ["Google Ads"] }), lead({ source: "google_ads" }))).toBe(0);
    expect(matchRule(rules({ source: ["missed call"] }), lead({ source: "missed_call" }))).toBe(0);
  });

  it("different words still do not match", () => {
    expect(matchRule(rules({ serviceType: ["AC install"] }), lead({ serviceType: "ac repair" }))).toBeNull();
    expect(matchRule(rules({ serviceType: ["acinstall"] }), lead({ serviceType: "ac install" }))).toBeNull();
    expect(matchRule(rules({ market: ["austin"] }), lead({ market: null }))).toBeNull();
  });

  it("sameText ignores case, outer and repeated inner whitespace only", () => {
    expect(sameText(" AC\u00a0 Install ", "ac install")).toBe(true);
    expect(sameText("ac-install", "ac install")).toBe(false);
  });
});
