import { describe, expect, it } from "vitest";
import { postalCodeOf } from "../../src/domain/postal-code.ts";

describe("the postal code of a service address", () => {
  it.each([
    ["1200 Congress Ave, Austin, TX 78701", "78701"],
    ["1200 Congress Ave, Austin, TX 78701-1234", "787011234"],
    ["12345 Research Blvd, Austin TX 78759", "78759"],
    ["24 Sussex Dr, Ottawa, ON K1M 1M4", "K1M1M4"],
    ["24 sussex dr ottawa k1m1m4", "K1M1M4"],
    ["10 Downing St, London SW1A 2AA", "SW1A2AA"],
    ["1 Piccadilly, Manchester M1 1AE", "M11AE"],
  ])("%j is %j", (address, code) => {
    expect(postalCodeOf(address)).toBe(code);
  });

  it("a number leading the address is its street number, and an address without a code has none", () => {
    expect(postalCodeOf("10234 Research Blvd, Austin")).toBeNull();
    expect(postalCodeOf("Main St by the river")).toBeNull();
    expect(postalCodeOf(null)).toBeNull();
  });
});
