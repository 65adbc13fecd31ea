import { describe, expect, it } from "vitest";
import { businessConfigSchema, describeIssues } from "../../src/domain/business-config.ts";
import { parseDuration } from "../../src/domain/duration.ts";
import { businessJsonSchema } from "../../src/domain/business-json-schema.ts";
import { readFileSync } from "node:fs";
import { demoInput } from "../helpers/demo-config.ts";

describe("durations", () => {
  it.each([
    ["90s", 90_000], ["5m", 300_000], ["1h", 3_600_000], ["1h30m", 5_400_000], ["2s", 2_000], ["1d", 86_400_000],
  ])("%s is %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "5", "5 minutes", "m", "0s", "-5m"])("%j is not a duration", (text) => expect(parseDuration(text)).toBeNull());
});

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
      expect.arrayContaining(["timezone", "team.1.phone", "escalation.standard.acceptWithin", "hours.open"]),
    );
  });

  it("routing to a member who is not on the team is refused", () => {
    const input = demoInput();
    input.routing[3]!.to = { member: "nobody" };
    const issues = describeIssues(businessConfigSchema.safeParse(input).error!);
    expect(issues).toContainEqual({ path: "routing.3.to.member", message: 'no team member "nobody"' });
  });

  it("duplicate member ids are refused", () => {
    const input = demoInput();
    input.team[1]!.id = "dana";
    expect(describeIssues(businessConfigSchema.safeParse(input).error!).map((i) => i.path)).toContain("team.1.id");
  });

  it("the committed JSON Schema for editors matches the zod schema (run npm run schema:json)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../schema/business.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(businessJsonSchema())));
  });
});
