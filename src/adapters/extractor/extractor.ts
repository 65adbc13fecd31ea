import type { LeadFields } from "../../domain/lead.ts";

/** What an extractor is given: everything intake heard, and the business's vocabulary. */
export interface ExtractionInput {
  transcript: string | null;
  summary: string | null;
  callerPhone: string | null;
  serviceTypes: string[];
  timezone: string;
  now: Date;
}

/** Fields an extractor found; anything it could not find is simply absent (never invented). */
export type ExtractedFields = Partial<LeadFields>;

/** Turns a transcript into lead fields: OpenAI when configured, the built-in heuristic otherwise. */
export interface Extractor {
  readonly name: string;
  extract(input: ExtractionInput): Promise<ExtractedFields>;
}
