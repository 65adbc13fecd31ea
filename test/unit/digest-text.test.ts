import { describe, expect, it } from "vitest";
import { digestText } from "../../src/domain/copy/digest.ts";
import { gsm7Length, toGsm7, TWO_SEGMENTS } from "../../src/domain/copy/gsm7.ts";

const codes = (n: number, from = 1001) => Array.from({ length: n }, (_, i) => from + i);

describe("the end-of-day digest SMS", () => {
  it("names the business, the count and every code when they fit", () => {
    expect(digestText({ businessName: "Acme Plumbing & Heating", codes: [1004, 1001, 1007] })).toBe(
      "Acme Plumbing & Heating end-of-day review: 3 open leads with no next action: 1004, 1001, 1007. " +
        "Give each an owner and a due next step before close.",
    );
  });

  it("says lead, not leads, for one", () => {
    expect(digestText({ businessName: "Acme", codes: [1042] })).toContain("1 open lead with no next action: 1042.");
  });

  it("lists as many codes as fit in two GSM-7 segments, in the order given, then counts the rest", () => {
    const all = codes(120);
    const text = digestText({ businessName: "Acme Plumbing & Heating", codes: all });
    expect(gsm7Length(text)).toBeLessThanOrEqual(TWO_SEGMENTS);
    const match = /no next action: ([\d, ]+) \+(\d+) more\./.exec(text);
    expect(match).not.toBeNull();
    const listed = match![1]!.split(", ").map(Number);
    expect(listed).toEqual(all.slice(0, listed.length));
    expect(listed.length + Number(match![2])).toBe(120);
    expect(text).toContain("120 open leads");
    // As many as fit: one more code would not.
    expect(listed.length).toBeGreaterThan(20);
  });

  it("stays GSM-7 and within two segments with a long, accented business name", () => {
    const text = digestText({ businessName: "Société Générale de Plomberie “Les Frères Müller” et Associés Internationale", codes: codes(60) });
    expect(toGsm7(text)).toBe(text);
    expect(gsm7Length(text)).toBeLessThanOrEqual(TWO_SEGMENTS);
    // Curly quotes made straight, the name cut at a word so the codes keep their room.
    expect(text.startsWith('Société Générale de Plomberie "Les... end-of-day review: 60 open leads')).toBe(true);
    expect(text).toContain("+35 more.");
  });

  it("says there is nothing to review when every lead has a next action", () => {
    expect(digestText({ businessName: "Acme", codes: [] })).toBe("Acme end-of-day review: every open lead has a next action. Nothing to review.");
  });
});
