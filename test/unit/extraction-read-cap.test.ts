import { describe, expect, it } from "vitest";
import type { ExtractionInput } from "../../src/adapters/extractor/extractor.ts";
import { heuristicExtractor } from "../../src/adapters/extractor/heuristic/index.ts";
import {
  readableInput,
  readableTranscript,
  SUMMARY_READ_CHARS,
  TRANSCRIPT_READ_CHARS,
  TRANSCRIPT_TAIL_CHARS,
} from "../../src/adapters/extractor/read-cap.ts";
import { fill } from "../helpers/growth.ts";

const START = "AI: Thank you for calling Acme Plumbing.\nUser: Hi, my name is Maria Gonzalez, my water heater is leaking.\n";
const MIDDLE = "AI: Take your time.\nUser: Um, let me think about that for a second.\n";
const END = "AI: I'll have our dispatcher call you back within 15 minutes.\nUser: Great, thank you.";
/** Whole lines of small talk, about `chars` characters of them. */
const smallTalk = (chars: number, lines = MIDDLE) => lines.repeat(Math.round(chars / lines.length));
/** A transcript of about `chars` characters: a real call's start and end around endless small talk. */
const longCall = (chars: number, lines = MIDDLE) => START + smallTalk(chars, lines) + END;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const input = (transcript: string, summary: string | null = null): ExtractionInput => ({
  transcript,
  summary,
  callerPhone: "+15125550142",
  serviceTypes: ["Water heater", "Plumbing"],
  timezone: "America/Chicago",
  now: new Date("2025-06-10T20:00:00Z"),
});

describe("what extraction reads of a transcript", () => {
  it("reads a transcript within the cap whole", () => {
    const call = `${START}${fill("x", TRANSCRIPT_READ_CHARS - START.length)}`;
    expect(call.length).toBe(TRANSCRIPT_READ_CHARS);
    expect(readableTranscript(call)).toBe(call);
  });

  it("reads the start and the end of a longer one, cut between turns", () => {
    const call = longCall(1_000_000);
    const read = readableTranscript(call);
    expect(read.length).toBeLessThanOrEqual(TRANSCRIPT_READ_CHARS + 1);
    expect(read.length).toBeGreaterThan(TRANSCRIPT_READ_CHARS - 200);
    expect(read.startsWith(START)).toBe(true);
    expect(read.endsWith(END)).toBe(true);
    const lines = new Set(call.split("\n"));
    expect(read.split("\n").every((line) => lines.has(line))).toBe(true);
  });

  it("cuts a transcript without line breaks at the cap, never inside an emoji", () => {
    for (const unit of ["🔥", "a🔥"]) {
      const read = readableTranscript(`User: ${fill(unit, 300_000)}`);
      expect(read.length).toBeLessThanOrEqual(TRANSCRIPT_READ_CHARS + 1);
      expect(read.length).toBeGreaterThanOrEqual(TRANSCRIPT_READ_CHARS - 2);
      expect(read).not.toMatch(LONE_SURROGATE);
    }
  });

  it("reads at most the first SUMMARY_READ_CHARS of a summary and leaves short ones alone", () => {
    expect(readableInput(input("x", "Short summary.")).summary).toBe("Short summary.");
    expect(readableInput(input("x", fill("Long summary. ", 100_000))).summary!.length).toBe(SUMMARY_READ_CHARS);
    expect(readableInput({ ...input("x"), transcript: null }).transcript).toBeNull();
  });
});

describe("the heuristic extractor on a transcript far over the cap", () => {
  it("finds the name said at the start and the promise made at the end of a 1 MB call", async () => {
    const fields = await heuristicExtractor().extract(input(longCall(1_000_000)));
    expect(fields.fullName).toBe("Maria Gonzalez");
    expect(fields.promisedNextStep).toBe("I'll have our dispatcher call you back within 15 minutes.");
  });

  it("does not read what lies between its start and its end", async () => {
    const before = TRANSCRIPT_READ_CHARS - TRANSCRIPT_TAIL_CHARS;
    const call = `${smallTalk(before + 1000)}User: My name is Hidden Middle.\n${smallTalk(200_000)}`;
    expect((await heuristicExtractor().extract(input(call))).fullName).toBeUndefined();
    // The same words within the part it reads are found: the cap, not the pattern, hid them.
    const early = `${smallTalk(before - 1000)}User: My name is Hidden Middle.\n${smallTalk(200_000)}`;
    expect((await heuristicExtractor().extract(input(early))).fullName).toBe("Hidden Middle");
  });

  it("lets other work run between its steps instead of holding the event loop", async () => {
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await heuristicExtractor().extract(input(longCall(1_000_000, "User: saw I'll no leak 512 456 7890 one two\n")));
    running = false;
    // One turn of the event loop for each of its nine steps, at least.
    expect(turns).toBeGreaterThanOrEqual(9);
  });
});
