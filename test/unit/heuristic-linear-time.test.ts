import { describe, expect, it } from "vitest";
import {
  findAddress,
  findAnsweredAddress,
  findCallbackPhone,
  findDirectorySource,
  findFollowUpDate,
  findLeadType,
  findMarket,
  findName,
  findPromisedNextStep,
  findReferral,
  findServiceType,
  findUrgency,
  mentions,
  sentences,
  splitTurns,
  spokenDigitsToNumerals,
  summarize,
  type Turn,
} from "../../src/adapters/extractor/heuristic/index.ts";
import { fill, growthRatio, LINEAR_BOUND } from "../helpers/growth.ts";

/*
 * Every pattern of the offline extractor must take time in proportion to the text it reads: a
 * webhook runs it on the event loop every tenant shares. Each case is a shape that makes some
 * regex backtrack (long runs of spaces, digits, capitalised words, repeated punctuation, one
 * endless sentence) and is timed at ~100 KB and ~1 MB in the same run. Linear work gives a ratio
 * near 1 (see growthRatio); quadratic work gives about 10. The bound is LINEAR_BOUND (5): the
 * 10× input must take under 50× the time.
 */

const caller = (text: string): Turn[] => [{ speaker: "caller", text }];
const agent = (text: string): Turn[] => [{ speaker: "agent", text }];
const NOW = new Date("2025-06-10T20:00:00Z");
const SERVICE_TYPES = ["Water heater", "Drain cleaning", "AC repair", "Heating", "Plumbing"];
const PROBLEM = /\b(leak(s|ing)?|clogged)\b/i;

const cases: [name: string, run: (text: string) => unknown, unit: string][] = [
  ["'saw' again and again with no directory after it (where they found us)", (t) => findDirectorySource(caller(t)), "saw "],
  ["'I'll' again and again with no action after it (the agent's promise)", (t) => findPromisedNextStep(agent(t)), "I'll "],
  ["'our x will' again and again with no action after it", (t) => findPromisedNextStep(agent(t)), "our big truck will "],
  ["a mention negated each time it is said", (t) => mentions(t, PROBLEM), "no leak "],
  ["urgency over negated hazards", (t) => findUrgency(t, false), "not on fire no sparks "],
  ["many valid phone numbers and no callback cue", (t) => findCallbackPhone(caller(t), null), "512 456 7890 "],
  ["many invalid phone numbers", (t) => findCallbackPhone(caller(t), null), "123 456 7890, "],
  ["spoken digits that never add up to a phone number", (t) => findCallbackPhone(caller(t), null), "one two "],
  ["one endless run of digits and spaces", (t) => spokenDigitsToNumerals(t), "1 "],
  ["digit words and digits glued to letters", (t) => spokenDigitsToNumerals(t), `one${"1".repeat(300)}x someone 4th `],
  ["long runs of separators between digits and words", (t) => spokenDigitsToNumerals(t), `1${" , - .".repeat(50)}x `],
  ["house numbers before capitalised words that are no street", (t) => findAddress(t), "12 Aa Bb Cc Dd "],
  ["a house number before a long run of spaces", (t) => findAddress(t), `1${" ".repeat(200)}`],
  ["long runs of digits", (t) => findAddress(t), `1 ${"1".repeat(500)} `],
  ["addresses each taken back for the next", (t) => findAddress(t), "12 Oak Street, sorry, "],
  ["home addresses one after another, none the job site", (t) => findAddress(t), "I live at 12 Oak Street "],
  ["streets with a direction after them and no city", (t) => findAddress(t), "12 Aa Bb Street North "],
  [
    "answers to the address question that are streets without a city",
    (t) => findAnsweredAddress(t.split("\n").flatMap((line) => [...agent("What's the address?"), ...caller(line)])),
    "48 South Clarkson Aa Bb\n",
  ],
  ["one endless lowercase answer to the address question", (t) => findAnsweredAddress([...agent("What's the address?"), ...caller(t)]), "12 aa bb cc "],
  ["'my name is' before a long run of spaces", (t) => findName(caller(t)), `my name is${" ".repeat(300)}`],
  ["'this is' before capitalised words that never end", (t) => findName(caller(t)), "this is Aaaa Bbbb "],
  ["an answer to the name question that is one long capitalised word", (t) => findName([...agent("Can I get your name?"), ...caller(t)]), "Aa"],
  ["'I live' again and again with no city", (t) => findMarket(caller(t)), "I live over "],
  ["'I'm' before capitalised words that never end", (t) => findName(caller(t)), "I'm Aaaa Bbbb "],
  ["'last name' again and again with no first name", (t) => findName(caller(t)), "last name Aa, "],
  ["greetings then capitalised words", (t) => findName(caller(t)), "Hi Aa, Bb Cc. "],
  ["speaker labels before long runs of spaces on every line", (t) => splitTurns(t), `AI${" ".repeat(100)}x\n`],
  ["names as labels, a new one on every line", (t) => splitTurns(t), "Aa Bb: x\nCc: y\n"],
  ["turns on one line, and sentence ends with spaces before no label", (t) => splitTurns(t), "Hi. User: ok.    x "],
  ["a capitalised word before a long run of spaces on every line", (t) => splitTurns(t), `Aaaa${" ".repeat(100)}x\n`],
  ["repeated punctuation", (t) => summarize(null, caller(t)), ". , ! ? "],
  ["long runs of spaces that are never a dash between clauses", (t) => sentences(t), `a${" ".repeat(300)}b `],
  ["dashes between digits again and again", (t) => sentences(t), "5 - 5 - five - "],
  ["one sentence of capitalised words without punctuation", (t) => summarize(null, caller(t)), "Aaaa Bbbb Cccc "],
  ["service words said over and over", (t) => findServiceType(t, SERVICE_TYPES), "a/c drain heater "],
  ["referral cues that are incomplete", (t) => findReferral(caller(t)), "referred recommended told me "],
  ["a refused estimate again and again", (t) => findLeadType(t), "no estimate, not a quote "],
  ["'what' again and again with no cost after it", (t) => findLeadType(t), "what would "],
  ["the agent offering an estimate in one endless turn", (t) => findLeadType("", [...agent(t), ...caller("Yes.")]), "would you like an "],
  ["scheduling cues with month names that never get a day", (t) => findFollowUpDate(caller(t), NOW, "America/Chicago"), "schedule janjan 1/ "],
];

describe("the heuristic extractor's time grows linearly with its input", () => {
  for (const [name, run, unit] of cases) {
    it(name, () => {
      expect(growthRatio(run, (chars) => fill(unit, chars))).toBeLessThan(LINEAR_BOUND);
    });
  }
});
