import type { Env } from "./env.ts";
import type { Extractor } from "../adapters/extractor/extractor.ts";
import { heuristicExtractor } from "../adapters/extractor/heuristic/index.ts";
import { openAiExtractor } from "../adapters/extractor/openai.ts";
import type { Logger } from "../adapters/logger.ts";
import { dryRunMessaging } from "../adapters/messaging/dry-run.ts";
import type { Messaging } from "../adapters/messaging/messaging.ts";
import { twilioMessaging } from "../adapters/messaging/twilio.ts";

/** Twilio when its credentials are set; otherwise dry-run (recorded in the outbox and printed). */
export function messagingFromEnv(env: Env, opts: { logger?: Logger; useFetch?: boolean } = {}): Messaging {
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN) {
    return twilioMessaging({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, logger: opts.logger, useFetch: opts.useFetch });
  }
  return dryRunMessaging();
}

/** OpenAI (or any compatible server) when a key is set; the offline heuristic otherwise. */
export function extractorFromEnv(env: Env): Extractor {
  return env.OPENAI_API_KEY
    ? openAiExtractor({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL })
    : heuristicExtractor();
}
