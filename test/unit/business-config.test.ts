import { describe, expect, it } from "vitest";
import { businessConfigSchema, describeIssues } from "../../src/domain/business-config.ts";
import { businessJsonSchema } from "../../src/domain/business-json-schema.ts";
import { readFileSync } from "node:fs";
import { demoInput } from "../helpers/demo-config.ts";

const issuesOf = (input: unknown) => {
  const result = businessConfigSchema.safeParse(input);
  return result.success ? [] : describeIssues(result.error);
};

describe("business config", () => {
  it("the demo business is valid and its phones are E.164", () => {
    const input = demoInput();
    input.team[0]!.phone = "(512) 555-0111";
    expect(businessConfigSchema.parse(input).team[0]!.phone).toBe("+15125550111");
  });

  it("bad config is refused whole with every problem listed by path", () => {
    const input = demoInput() as Record<string, any>;
    input.timezone = "Mars/Olympus";
    input.team[1].phone = "not a phone";
    input.routing[3].to = { member: "nobody" };
    input.escalation.standard.acceptWithin = "soon";
    input.hours.open = "25:00";
    const result = businessConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    const paths = describeIssues(result.error!).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["timezone", "team.1.phone", "routing.3.to.member", "escalation.standard.acceptWithin", "hours.open"]),
    );
  });

  it("routing to a member who is not on the team is refused", () => {
    const input = demoInput();
    input.routing[3]!.to = { member: "nobody" };
    const issues = describeIssues(businessConfigSchema.safeParse(input).error!);
    expect(issues).toContainEqual({ path: "routing.3.to.member", message: 'no team member "nobody"' });
  });

  it("a routing target names exactly one of role or member", () => {
    const input = demoInput() as any;
    input.routing[0].to = {};
    input.routing[1].to = { role: "on_call", member: "dana" };
    expect(issuesOf(input)).toEqual([
      { path: "routing.0.to", message: "name exactly one of role or member" },
      { path: "routing.1.to", message: "name exactly one of role or member" },
    ]);
  });

  it("a fieldMap naming no lead field is refused naming its key", () => {
    const input = demoInput();
    input.fieldMap = { homeowner: "fullName", problem: "customerProblem" } as any;
    expect(issuesOf(input)).toEqual([{ path: "fieldMap.problem", message: expect.stringMatching(/^not a lead field/) }]);
  });

  it("duplicate member ids are refused", () => {
    const input = demoInput();
    input.team[1]!.id = "dana";
    expect(describeIssues(businessConfigSchema.safeParse(input).error!).map((i) => i.path)).toContain("team.1.id");
  });

  it("a duration over a year is refused naming its path, and d and w are accepted", () => {
    const input = demoInput();
    input.dedupeWindow = "99999999999d";
    input.escalation!.standard!.acceptWithin = "53w";
    input.missedCall = { callbackWithin: "0s" };
    expect(issuesOf(input)).toEqual(
      expect.arrayContaining([
        { path: "dedupeWindow", message: expect.stringMatching(/more than a year/) },
        { path: "escalation.standard.acceptWithin", message: expect.stringMatching(/more than a year/) },
        { path: "missedCall.callbackWithin", message: expect.stringMatching(/longer than zero/) },
      ]),
    );
    const ok = demoInput();
    ok.dedupeWindow = "2d";
    ok.escalation!.estimate!.moveWithin = "1w";
    expect(businessConfigSchema.safeParse(ok).success).toBe(true);
  });

  it.each([
    ["urgency", "urgent"], ["leadType", "quote"], ["channel", "phone"], ["opportunity", "high"], ["fit", "great"],
  ])("a %s routing value that can never match (%j) is refused naming its path", (field, value) => {
    const input = demoInput();
    input.routing.unshift({ match: { [field]: ["standard", value].filter((v) => v !== "standard" || field === "urgency") }, to: { role: "sales" } } as any);
    const issues = issuesOf(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toMatch(new RegExp(`^routing\\.0\\.match\\.${field}\\.\\d$`));
    expect(issues[0]!.message).toContain(value === "urgent" ? "emergency" : "");
  });

  it("an unknown match field is refused naming its path", () => {
    const input = demoInput() as any;
    input.routing[0].match.urgncy = ["emergency"];
    expect(issuesOf(input)).toEqual([{ path: "routing.0.match.urgncy", message: "unknown key" }]);
  });

  it.each([
    ["top level", (c: any) => (c.dedupWindow = "1h"), "dedupWindow"],
    ["a member", (c: any) => (c.team[0].phoen = "+15125550111"), "team.0.phoen"],
    ["an escalation window", (c: any) => (c.escalation.urgent.acceptWithn = "5m"), "escalation.urgent.acceptWithn"],
    ["escalation itself", (c: any) => (c.escalation.urgnt = {}), "escalation.urgnt"],
    ["hours", (c: any) => (c.hours.tz = "UTC"), "hours.tz"],
    ["missedCall", (c: any) => (c.missedCall = { textback: "hi" }), "missedCall.textback"],
    ["quietHours", (c: any) => (c.quietHours = { begin: "22:00" }), "quietHours.begin"],
    ["secrets", (c: any) => (c.secrets.vappi = "x"), "secrets.vappi"],
    ["a routing rule", (c: any) => (c.routing[0].when = {}), "routing.0.when"],
    ["a routing target", (c: any) => (c.routing[0].to.roles = ["x"]), "routing.0.to.roles"],
  ])("an unknown key in %s is refused naming its path", (_, change, path) => {
    const input = demoInput();
    change(input);
    expect(issuesOf(input)).toContainEqual({ path, message: "unknown key" });
  });

  it("a top-level $schema is allowed (editors use it) and not stored", () => {
    const input = { $schema: "../schema/business.schema.json", ...demoInput() };
    const parsed = businessConfigSchema.safeParse(input);
    expect(parsed.success).toBe(true);
    expect(parsed.data).not.toHaveProperty("$schema");
    const nested = demoInput() as any;
    nested.team[0].$schema = "x";
    expect(issuesOf(nested)).toContainEqual({ path: "team.0.$schema", message: "unknown key" });
  });

  it("several unknown keys are each listed", () => {
    const input = demoInput() as any;
    input.foo = 1;
    input.bar = 2;
    expect(issuesOf(input)).toEqual([{ path: "foo", message: "unknown key" }, { path: "bar", message: "unknown key" }]);
  });

  it("the committed JSON Schema for editors matches the zod schema (run npm run schema:json)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../schema/business.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(businessJsonSchema())));
  });
});
