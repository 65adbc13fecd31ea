import { describe, expect, it } from "vitest";
import { boundFields, capText, cleanJson, cleanText, isUnstorable, unstorablePaths } from "../../src/domain/storable-text.ts";

describe("text PostgreSQL can store", () => {
  it("drops NUL and replaces lone surrogates, keeping emoji, RTL and accents", () => {
    expect(cleanText("a\u0000b")).toBe("ab");
    expect(cleanText("x\ud800y\udc00z")).toBe("x\ufffdy\ufffdz");
    const fine = "José 🚰 שלום \u202Eabc";
    expect(cleanText(fine)).toBe(fine);
    expect(isUnstorable(fine)).toBe(false);
    expect(isUnstorable("\ud83d")).toBe(true);
  });

  it("cleans keys and values at any depth and names the paths it would refuse", () => {
    const value = { a: ["ok", "b\u0000"], ["k\u0000"]: { c: "\udfff" }, n: 1 };
    expect(cleanJson(value)).toEqual({ a: ["ok", "b"], k: { c: "\ufffd" }, n: 1 });
    expect(unstorablePaths(value)).toEqual(["a.1", "k"]);
    expect(unstorablePaths({ fine: "yes" })).toEqual([]);
  });

  it("caps a field at a word boundary and leaves short ones alone", () => {
    expect(capText("short")).toBe("short");
    const capped = capText("word ".repeat(3_000));
    expect(capped.length).toBeLessThanOrEqual(10_000);
    expect(capped.endsWith("word…")).toBe(true);
    expect(capText("x".repeat(20_000)).length).toBe(10_000);
    expect(boundFields({ fullName: "A\u0000B", urgency: null, n: 2 })).toEqual({ fullName: "AB", urgency: null, n: 2 });
  });
});
