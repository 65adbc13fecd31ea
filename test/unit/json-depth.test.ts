import { describe, expect, it } from "vitest";
import { jsonDepth, MAX_JSON_DEPTH, tooDeep } from "../../src/domain/json-depth.ts";

describe("how deep a JSON body nests", () => {
  it("counts brackets and braces but not those inside strings or escapes", () => {
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[{{{\\"]]]"}')).toBe(1);
    expect(jsonDepth("42")).toBe(0);
  });

  it("refuses only what nests deeper than the limit", () => {
    const nest = (n: number) => "[".repeat(n) + "]".repeat(n);
    expect(tooDeep(nest(MAX_JSON_DEPTH))).toBeNull();
    expect(tooDeep(nest(MAX_JSON_DEPTH + 1))).toMatch(/deeper than 64/);
  });
});
