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
  heuristicExtractor,
  splitTurns,
  summarize,
} from "../../src/adapters/extractor/heuristic/index.ts";
import { AI_PARSERS } from "../../src/intake/process-intake.ts";
import { corpusBusinesses, loadCorpus } from "../helpers/extraction-corpus.ts";
import { growthRatio, LINEAR_BOUND } from "../helpers/growth.ts";

/*
 * Each step of the offline extractor over real talk: every call of the corpus, one after the
 * other, as one transcript of ~100 KB and of ~1 MB, timed in the same run (see growthRatio).
 * The callers' lines keep only what is not a name, number or address cue, so each step reads
 * the whole text instead of stopping at its first find. heuristic-linear-time.test.ts does the
 * same with the shapes that make patterns backtrack.
 */

const lines = loadCorpus().flatMap((call) => {
  const result = AI_PARSERS[call.provider]!(JSON.stringify(call.payload));
  return result.kind === "lead" ? (result.event.transcript ?? "").split("\n") : [];
});
// Lines that end no search early: no digits (numbers, addresses), no introductions.
const talk = lines.filter((line) => !/\d|name|this is|I'm|it's|here\b|referred|recommended|Google|Yelp/i.test(line)).join("\n");
const make = (chars: number) => {
  let text = "";
  while (text.length < chars) text += `${talk}\n`;
  return text.slice(0, chars);
};
const SERVICE_TYPES = corpusBusinesses.frontrange!.serviceTypes;
const NOW = new Date("2025-11-17T16:30:00Z");

const steps: [name: string, run: (transcript: string) => unknown][] = [
  ["splitting turns", (t) => splitTurns(t)],
  ["the caller's name", (t) => findName(splitTurns(t))],
  ["the callback number", (t) => findCallbackPhone(splitTurns(t), null)],
  ["a street address", (t) => findAddress(t)],
  ["the answer to the address question", (t) => findAnsweredAddress(splitTurns(t))],
  ["the market", (t) => findMarket(splitTurns(t))],
  ["the service type", (t) => findServiceType(t, SERVICE_TYPES)],
  ["the urgency", (t) => findUrgency(t, false)],
  ["a referral", (t) => findReferral(splitTurns(t))],
  ["a directory source", (t) => findDirectorySource(splitTurns(t))],
  ["the lead type", (t) => findLeadType(t, splitTurns(t))],
  ["the summary", (t) => summarize(null, splitTurns(t))],
  ["the promised next step", (t) => findPromisedNextStep(splitTurns(t))],
  ["the follow-up date", (t) => findFollowUpDate(splitTurns(t), NOW, "America/Denver")],
];

describe("each step of the offline extractor grows linearly over real calls", () => {
  it("reads a text of many calls", () => {
    expect(talk.length).toBeGreaterThan(10_000);
  });

  for (const [name, run] of steps) {
    it(name, () => {
      expect(growthRatio(run, make)).toBeLessThan(LINEAR_BOUND);
    });
  }

  it("the whole extractor (which reads at most its read cap)", async () => {
    const extractor = heuristicExtractor();
    const input = (transcript: string) => ({ transcript, summary: null, callerPhone: null, serviceTypes: SERVICE_TYPES, timezone: "America/Denver", now: NOW });
    // growthRatio times synchronous work; the extractor yields between steps, so time it here.
    const time = async (transcript: string, runs: number) => {
      const started = performance.now();
      for (let i = 0; i < runs; i++) await extractor.extract(input(transcript));
      return performance.now() - started;
    };
    const [small, big] = [make(100_000), make(1_000_000)];
    await time(small, 1);
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3 && best >= LINEAR_BOUND; i++) best = Math.min(best, (await time(big, 1)) / ((await time(small, 10)) / 10) / 10);
    expect(best).toBeLessThan(LINEAR_BOUND);
  });
});
