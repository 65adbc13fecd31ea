import { describe, expect, it } from "vitest";
import { gsm7Length, toGsm7, TWO_SEGMENTS } from "../../src/domain/copy/gsm7.ts";
import { truncateWords } from "../../src/domain/copy/sms-fit.ts";
import { offerText, type OfferTextInput } from "../../src/domain/copy/offer.ts";

const input: OfferTextInput = {
  code: 1042, urgency: "emergency", fullName: "Jane Doe", phone: "+15125550123", place: "12 Elm St, Austin TX 78701",
  serviceType: "plumbing", summaryNotes: "Burst pipe flooding the basement", promisedNextStep: "Call back within 5 minutes",
  // 2:35 PM in Chicago, on the same day as now.
  dueAt: new Date("2026-11-23T20:35:00Z"), timeZone: "America/Chicago", now: new Date("2026-11-23T15:00:00Z"), missingFields: [],
};

describe("the offer text", () => {
  it("names the code, urgency, customer, phone, place, problem, next step, due time and how to reply", () => {
    const text = offerText(input);
    for (const part of ["1042", "EMERGENCY", "Jane Doe", "+15125550123", "12 Elm St", "Burst pipe", "Call back within 5 minutes", "2:35 PM CST", "ACCEPT 1042", "REJECT 1042"]) {
      expect(text).toContain(part);
    }
  });

  it("flags missing fields so the owner knows what intake did not get", () => {
    expect(offerText({ ...input, fullName: null, missingFields: ["fullName", "serviceAddress"] })).toContain("MISSING: name, address.");
  });

  it("fits two GSM-7 segments however long the notes, cutting only at word boundaries", () => {
    const words = "the water heater in the garage has been leaking since yesterday and the floor is soaked".split(" ");
    const long = Array.from({ length: 40 }, (_, i) => words[i % words.length]).join(" ");
    const text = offerText({ ...input, summaryNotes: long, promisedNextStep: `Call back and ${long}`, place: `${long} Austin` });
    expect(gsm7Length(text)).toBeLessThanOrEqual(TWO_SEGMENTS);
    expect(text).toContain("Reply ACCEPT 1042 or REJECT 1042");
    const kept = text.match(/plumbing - (.*?)\.\.\. Next/)?.[1] ?? "";
    expect(kept.length).toBeGreaterThanOrEqual(20);
    for (const word of kept.split(" ")) expect(words).toContain(word);
  });

  it("keeps to the GSM-7 alphabet so two segments hold 306 characters", () => {
    const text = offerText({ ...input, fullName: "José Ñúñez", summaryNotes: "Customer’s “urgent” leak — ASAP…" });
    expect(text).toContain("José Ñuñez"); // é and ñ are GSM-7; ú is not
    expect(toGsm7(text)).toBe(text);
  });
});

describe("word truncation", () => {
  it("never cuts a word in half", () => {
    expect(truncateWords("burst pipe flooding basement", 18)).toBe("burst pipe...");
    expect(truncateWords("short", 18)).toBe("short");
  });

  it("counts GSM-7 extension characters twice", () => expect(gsm7Length("{[€]}")).toBe(10));
});
