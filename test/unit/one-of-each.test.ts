import { describe, expect, it } from "vitest";
import { EMPTY_FIELDS, OPEN_STATES, STATES, withDefaults } from "../../src/domain/lead.ts";
import { assertTransition } from "../../src/domain/transitions.ts";

describe("one empty-fields default", () => {
  it("a new lead's fields are EMPTY_FIELDS with what intake gave", () => {
    expect(withDefaults({})).toEqual(EMPTY_FIELDS);
    expect(withDefaults({ phone: "+15125550123", fit: null as never })).toEqual({ ...EMPTY_FIELDS, phone: "+15125550123" });
  });
});

describe("one list of open states", () => {
  it("is every state but closed, and a lead in any of them can be closed or updated", () => {
    expect([...OPEN_STATES]).toEqual(STATES.filter((s) => s !== "closed"));
    for (const state of OPEN_STATES) {
      expect(() => assertTransition("close", state, 1001)).not.toThrow();
      expect(() => assertTransition("update", state, 1001)).not.toThrow();
    }
    expect(() => assertTransition("close", "closed", 1001)).toThrow();
  });
});
