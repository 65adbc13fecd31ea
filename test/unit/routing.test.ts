import { describe, expect, it } from "vitest";
import { chooseOwner, matchRule, sameText, type RoutableLead } from "../../src/domain/routing.ts";
import { businessConfigSchema, describeIssues } from "../../src/domain/business-config.ts";
import { demoConfig, demoInput } from "../helpers/demo-config.ts";

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

  it("an emergency is never left unowned, even with on-call (the whole rotation) and the manager away", () => {
    const config = demoConfig((c) => {
      const rotation = new Set(c.schedules?.flatMap((s) => s.rotation.members));
      for (const m of c.team) if (rotation.has(m.id) || m.roles.some((r) => ["on_call", "manager", "dispatch"].includes(r))) m.available = false;
    });
    const decision = chooseOwner(config, lead({ urgency: "active_loss" }), never, { at });
    expect(decision?.via).toBe("fallback:anyone");
    expect(["sam", "ivy"]).toContain(decision?.member.id);
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

describe("routing by zip and closed sets", () => {
  const routed = (match: Record<string, string[]>) =>
    demoConfig((c) => (c.routing = [{ match, to: { role: "sales" } }, { to: { role: "dispatch" } }]));

  it("zip matches prefixes of the postal code parsed from the service address", () => {
    const config = routed({ zip: ["787", "K1M 1", "sw1a"] });
    expect(matchRule(config.routing, lead({ serviceAddress: "1200 Congress Ave, Austin, TX 78701-1234" }))).toBe(0);
    expect(matchRule(config.routing, lead({ serviceAddress: "24 Sussex Dr, Ottawa ON k1m1m4" }))).toBe(0);
    expect(matchRule(config.routing, lead({ serviceAddress: "10 Downing St, London SW1A 2AA" }))).toBe(0);
    expect(matchRule(config.routing, lead({ serviceAddress: "500 Main St, Dallas TX 75201" }))).toBe(1);
    expect(matchRule(config.routing, lead({ serviceAddress: "78701 Main St" }))).toBe(1); // a street number, not a zip
    expect(matchRule(config.routing, lead({ serviceAddress: null }))).toBe(1);
  });

  it("closed-set values are read case- and spacing-insensitively and stored in their one spelling", () => {
    const config = routed({ urgency: [" Active Loss "], leadType: ["ESTIMATE"], channel: ["twilio-voice"] });
    expect(config.routing[0]!.match).toEqual({ urgency: ["active_loss"], leadType: ["estimate"], channel: ["twilio_voice"] });
    expect(matchRule(config.routing, lead({ urgency: "active_loss", leadType: "estimate", channel: "twilio_voice" }))).toBe(0);
  });

  it("a closed-set value that can never match is refused, naming its path and the set", () => {
    const result = businessConfigSchema.safeParse(
      (() => {
        const c = demoInput();
        c.routing = [{ match: { urgency: ["urgent"], fit: ["great"] }, to: { role: "sales" } }, { match: { zip: ["787/01"] }, to: { role: "sales" } }];
        return c;
      })(),
    );
    expect(result.success).toBe(false);
    const issues = describeIssues(result.error!);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "routing.0.match.urgency.0", message: expect.stringContaining("can never match: must be one of emergency, active_loss, standard, low") },
        { path: "routing.0.match.fit.0", message: expect.stringContaining("good, poor, unknown") },
        { path: "routing.1.match.zip.0", message: expect.stringContaining("postal code") },
      ]),
    );
  });
});

describe("maxOpen", () => {
  const twoDispatchers = (maxOpen: number) =>
    demoConfig((c) => {
      c.team.push({ id: "lee", name: "Lee", phone: "+15125550116", roles: ["dispatch"] });
      c.team[0]!.maxOpen = maxOpen;
    });

  it("a member at their cap is passed over, and the decision says so", () => {
    const decision = chooseOwner(twoDispatchers(2), lead(), never, { at, openLeads: new Map([["dana", 2]]) });
    expect(decision).toMatchObject({ member: { id: "lee" }, skipped: [{ memberId: "dana", why: "at maxOpen (2 open, cap 2)" }] });
    expect(chooseOwner(twoDispatchers(3), lead(), never, { at, openLeads: new Map([["dana", 2]]) })?.member.id).toBe("dana");
  });

  it("every candidate at their cap falls back to the manager; the manager capped too leaves a standard lead with intake", () => {
    const config = demoConfig((c) => (c.team[0]!.maxOpen = 1));
    expect(chooseOwner(config, lead(), never, { at, openLeads: new Map([["dana", 1]]) })).toMatchObject({ member: { id: "mia" }, via: "fallback:manager" });
    const allCapped = demoConfig((c) => {
      c.team[0]!.maxOpen = 1;
      c.team[2]!.maxOpen = 1;
    });
    expect(chooseOwner(allCapped, lead(), never, { at, openLeads: new Map([["dana", 1], ["mia", 5]]) })).toBeNull();
  });

  it("an emergency with everyone capped is still owned (its last fallback ignores caps)", () => {
    const config = demoConfig((c) => c.team.forEach((m) => (m.maxOpen = 1)));
    const full = new Map(config.team.map((m) => [m.id, 1]));
    expect(chooseOwner(config, lead({ urgency: "emergency" }), never, { at, openLeads: full })?.via).toBe("fallback:anyone");
  });
});
