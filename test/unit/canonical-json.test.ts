import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/domain/canonical-json.ts";

describe("canonical JSON", () => {
  it("ignores key order at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });

  it("leaves undefined members out, as a stored JSON document would", () => {
    expect(canonicalJson({ a: 1, secret: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it("keeps array order and values: a reordered routing list is a change", () => {
    expect(canonicalJson({ r: [1, 2] })).not.toBe(canonicalJson({ r: [2, 1] }));
    expect(canonicalJson({ a: "1" })).not.toBe(canonicalJson({ a: 1 }));
  });
});
