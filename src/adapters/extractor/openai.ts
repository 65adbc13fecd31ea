import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { ContentFilterFinishReasonError, LengthFinishReasonError } from "openai/core/error";
import { zodResponseFormat } from "openai/helpers/zod";
import { extractionMessages, extractionSchema, toExtractedFields } from "./extraction-schema.ts";
import type { Extractor } from "./extractor.ts";
import { readableInput } from "./read-cap.ts";

/** Extraction gave up (after the SDK's retries); the caller records it and falls back to the heuristic. */
export class ExtractionFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ExtractionFailedError";
  }
}

/** How to reach OpenAI or any OpenAI-compatible server. */
export interface OpenAiExtractorOptions {
  apiKey: string;
  /** Any OpenAI-compatible server (OPENAI_BASE_URL); the SDK's default otherwise. */
  baseURL?: string;
  model: string;
  /** Per attempt; the whole extraction may take (maxRetries + 1) times this plus backoff. */
  timeoutMs?: number;
  /** Retries on 408/409/429/5xx, timeouts and connection errors, with the SDK's backoff. */
  maxRetries?: number;
}

/** The LLM extractor (name "openai"): structured outputs against our zod schema, post-validated. */
export function openAiExtractor({ apiKey, baseURL, model, timeoutMs = 20_000, maxRetries = 3 }: OpenAiExtractorOptions): Extractor {
  const client = new OpenAI({ apiKey, baseURL, timeout: timeoutMs, maxRetries });
  const describe = (error: unknown) => describeFailure(error, { timeoutMs, maxRetries });
  return {
    name: "openai",
    async extract(input) {
      let completion;
      try {
        completion = await client.chat.completions.parse({
          model,
          // The model reads what the heuristic reads: a bounded part of an oversized transcript.
          messages: extractionMessages(readableInput(input)),
          response_format: zodResponseFormat(extractionSchema, "lead_fields"),
        });
      } catch (error) {
        throw new ExtractionFailedError(describe(error), { cause: error });
      }
      const message = completion.choices[0]?.message;
      if (message?.refusal) throw new ExtractionFailedError(`the model refused: ${message.refusal}`);
      if (!message?.parsed) throw new ExtractionFailedError("the model returned no structured answer");
      return toExtractedFields(message.parsed);
    },
  };
}

/** A message naming why extraction failed, for the lead's event history. */
function describeFailure(error: unknown, { timeoutMs, maxRetries }: { timeoutMs: number; maxRetries: number }): string {
  const retries = `after ${maxRetries} ${maxRetries === 1 ? "retry" : "retries"}`;
  if (error instanceof APIConnectionTimeoutError) return `OpenAI request timed out (${timeoutMs} ms per attempt) ${retries}`;
  if (error instanceof APIConnectionError) return `could not reach OpenAI ${retries}: ${error.message}`;
  if (error instanceof APIError) {
    const retryable = error.status === 408 || error.status === 409 || error.status === 429 || (error.status ?? 0) >= 500;
    return `OpenAI answered ${error.status}${retryable ? ` ${retries}` : ""}: ${error.message}`;
  }
  if (error instanceof LengthFinishReasonError) return "the model's answer was cut off at its token limit";
  if (error instanceof ContentFilterFinishReasonError) return "the model's answer was blocked by its content filter";
  if (error instanceof Error && (error.name === "ZodError" || error instanceof SyntaxError)) {
    return `the model's answer did not match the extraction schema: ${error.message}`;
  }
  return `extraction failed: ${error instanceof Error ? error.message : String(error)}`;
}
