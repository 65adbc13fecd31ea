import type { ExtractionInput } from "./extractor.ts";

/*
 * How much of one intake an extractor reads. The lead keeps the whole transcript; extraction only
 * looks at a bounded part of it, so one oversized webhook costs every tenant the same few
 * milliseconds (heuristic) or tokens (LLM) as a long real call, not seconds or a refusal.
 */

/**
 * A transcript up to this many characters is read whole: real calls stay under 30 KB (an hour of
 * talk is ~50 KB), so this is twice the longest real call we have seen.
 */
export const TRANSCRIPT_READ_CHARS = 64 * 1024;
/**
 * Of a longer transcript, this much is read from its end (the rest from its start): callers give
 * name, number and address early; the agent's promise and the agreed date come at the end.
 */
export const TRANSCRIPT_TAIL_CHARS = 16 * 1024;
/** A provider's summary is a few sentences; more than this is not a summary. */
export const SUMMARY_READ_CHARS = 8 * 1024;

/** The input with its transcript and summary cut to what extraction reads (see the limits above). */
export function readableInput(input: ExtractionInput): ExtractionInput {
  return {
    ...input,
    transcript: input.transcript === null ? null : readableTranscript(input.transcript),
    summary: input.summary === null ? null : headOf(input.summary, SUMMARY_READ_CHARS),
  };
}

/**
 * The transcript whole when it is within TRANSCRIPT_READ_CHARS, else its start and its end joined
 * by a line break, each cut at a line (a speaker turn) when one is near.
 */
export function readableTranscript(transcript: string): string {
  if (transcript.length <= TRANSCRIPT_READ_CHARS) return transcript;
  const head = headOf(transcript, TRANSCRIPT_READ_CHARS - TRANSCRIPT_TAIL_CHARS);
  const tail = tailOf(transcript, TRANSCRIPT_TAIL_CHARS);
  return `${head}\n${tail}`;
}

/** At most `max` characters from the start, ending at a line break in the last half if any. */
function headOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const lineEnd = text.lastIndexOf("\n", max);
  // Never cut between the two halves of a surrogate pair (an emoji): a lone half is not UTF-8.
  const cut = lineEnd >= max / 2 ? lineEnd : isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, cut);
}

/** At most `max` characters from the end, starting after a line break in the first half if any. */
function tailOf(text: string, max: number): string {
  const from = text.length - max;
  const lineStart = text.indexOf("\n", from);
  const start = lineStart !== -1 && lineStart < from + max / 2 ? lineStart + 1 : isLowSurrogate(text.charCodeAt(from)) ? from + 1 : from;
  return text.slice(start);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
