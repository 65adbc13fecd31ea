import { describe, expect, it } from "vitest";
import { gsm7Length, gsm7Spelling, isGsm7, smsSegments, toGsm7 } from "../../src/domain/copy/gsm7.ts";

describe("one GSM-7 alphabet", () => {
  // Before: gsm7.ts left the form feed out of the extension table while sms-fit.ts had it, so
  // toGsm7 turned it into "?", gsm7Length counted it as one septet and smsSegments as two.
  it("the form feed is an extension character everywhere: kept, two septets, GSM-7", () => {
    expect(isGsm7("a\fb")).toBe(true);
    expect(toGsm7("a\fb")).toBe("a\fb");
    expect(gsm7Length("a\fb")).toBe(4);
  });

  it("segments count septets: 160 fit one segment, 80 extension characters too", () => {
    expect(smsSegments("a".repeat(160))).toBe(1);
    expect(smsSegments("a".repeat(161))).toBe(2);
    expect(smsSegments("€".repeat(80))).toBe(1);
    expect(smsSegments("€".repeat(81))).toBe(2);
    expect(smsSegments(`${"a".repeat(159)}\f`)).toBe(2);
  });

  it("one character outside the alphabet makes the text UCS-2: 70 a segment", () => {
    expect(isGsm7("Zoë")).toBe(false);
    expect(smsSegments(`${"a".repeat(69)}ë`)).toBe(1);
    expect(smsSegments(`${"a".repeat(70)}ë`)).toBe(2);
  });

  it("whatever toGsm7 writes, isGsm7 accepts and counts as it measures", () => {
    const samples = ["Zoë’s “leak” — ASAP…", "naïve café 😀", "a\u202fb\u00a0c", "Łódź ŠKODA", "{[~]}|^€\\\f", "日本語"];
    for (const text of samples) {
      const out = toGsm7(text);
      expect(isGsm7(out)).toBe(true);
      expect(smsSegments(out)).toBe(gsm7Length(out) <= 160 ? 1 : Math.ceil(gsm7Length(out) / 153));
    }
  });
});

describe("gsm7Spelling", () => {
  it("respells what GSM-7 can say and keeps an emoji a person chose", () => {
    expect(gsm7Spelling("Zoë’s “leak” 🙁")).toBe("Zoe's \"leak\" 🙁");
    expect(toGsm7("Zoë’s “leak” 🙁")).toBe("Zoe's \"leak\" ?");
  });
});
