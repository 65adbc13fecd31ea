import { describe, expect, it } from "vitest";
import { clip, truncateWords } from "../../src/domain/copy/sms-fit.ts";
import { gsm7Length, toGsm7 } from "../../src/domain/copy/gsm7.ts";
import { offerText } from "../../src/domain/copy/offer.ts";
import { parseSmsCommand } from "../../src/domain/sms-command.ts";
import { mapStructuredData, toIsoDate } from "../../src/domain/structured-fields.ts";
import { fill, growthRatio, LINEAR_BOUND } from "../helpers/growth.ts";

/*
 * Everything else that reads untrusted text on the way from a webhook to a lead and its texts:
 * SMS commands (every customer text is read for STOP/START too), provider fields, and the offer
 * text built from them. Same method as heuristic-linear-time.test.ts: ~100 KB against ~1 MB in
 * one run: the 10× input must take under 50× the time (LINEAR_BOUND).
 */

const offer = (summaryNotes: string) =>
  offerText({
    code: 1001, urgency: "standard", fullName: "Maria Gonzalez", phone: "+15125550142", place: "4821 Burnet Road",
    serviceType: "Water heater", summaryNotes, promisedNextStep: null, missingFields: [],
    dueAt: new Date("2026-11-23T23:00:00Z"), timeZone: "America/Chicago", now: new Date("2026-11-23T15:00:00Z"),
  });

const cases: [name: string, run: (text: string) => unknown, make: (chars: number) => string][] = [
  ["an SMS with a long run of punctuation inside it", parseSmsCommand, (n) => `stop a${fill(" .", n)}a`],
  ["a REJECT whose reason is a long run of punctuation", parseSmsCommand, (n) => `reject 1001 a${fill(" -", n)}a`],
  ["'accept lead' and a long run of spaces before no code", parseSmsCommand, (n) => `accept lead${fill(" ", n)}x`],
  ["'accept #' and a long run of dashes and spaces", parseSmsCommand, (n) => `accept #${fill(" -", n)}x`],
  ["a provider field of spaces and words", (t) => mapStructuredData({ summary: t, urgency: t, followup: t }), (n) => fill("a   ", n)],
  ["a provider date of letters and spaces", toIsoDate, (n) => `a${fill(" ", n / 2)}abc${fill(" ", n / 2)}1`],
  ["offer notes of words", offer, (n) => fill("water heater leaking ", n)],
  ["offer notes without a space", offer, (n) => fill("a", n)],
  ["offer notes of characters GSM-7 lacks", offer, (n) => fill("ĉ’🔥 ", n)],
  ["GSM-7 rewriting", (t) => gsm7Length(toGsm7(t)), (n) => fill("é’€a ", n)],
  ["cutting at a word boundary after punctuation", (t) => truncateWords(t, 300), (n) => fill("a ,.;:- ", n)],
  ["clipping a reply", (t) => clip(t, 300), (n) => fill("a .,!? ", n)],
];

describe("scanning untrusted text takes time in proportion to it", () => {
  for (const [name, run, make] of cases) {
    it(name, () => {
      expect(growthRatio(run, make)).toBeLessThan(LINEAR_BOUND);
    });
  }
});
