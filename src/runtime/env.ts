import { z } from "zod";
import type { Settings } from "../core/deps.ts";

const optional = z.string().trim().min(1).optional().catch(undefined);
/** A whole number in [min, max]; unset or empty means `fallback`. */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.coerce.number().int().min(min).max(max).default(fallback));
/** On with 1 or true, off with 0, false or unset; anything else is refused. */
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .refine((v) => v === undefined || ["", "0", "1", "true", "false"].includes(v), "must be 1, true, 0 or false")
  .transform((v) => v === "1" || v === "true");

/** The environment of CONTRACT §1, parsed once by an entry point. Everything is optional. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATABASE_URL: optional,
  DATA_DIR: z.string().default("./.data"),
  PUBLIC_URL: optional.transform((u) => u?.replace(/\/+$/, "")),
  ADMIN_TOKEN: optional,
  /** Bearer token a Prometheus scraper sends to GET /metrics (Node); ADMIN_TOKEN works too. */
  METRICS_TOKEN: optional,
  TWILIO_ACCOUNT_SID: optional,
  TWILIO_AUTH_TOKEN: optional,
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional,
  OPENAI_MODEL: z.string().default("gpt-4o-mini"),
  QSTASH_TOKEN: optional,
  QSTASH_URL: optional,
  QSTASH_CURRENT_SIGNING_KEY: optional,
  QSTASH_NEXT_SIGNING_KEY: optional,
  /** Webhook secrets for businesses whose config names none of their own. */
  VAPI_SECRET: optional,
  RETELL_API_KEY: optional,
  BLAND_WEBHOOK_SECRET: optional,
  INTAKE_SECRET: optional,
  /** Provider API keys reconciliation lists calls with, for businesses that name none (CONTRACT §14). */
  VAPI_API_KEY: optional,
  BLAND_API_KEY: optional,
  /** The server leaves stored AI-intake webhooks to `handoff worker` processes (docs/workers.md). Needs DATABASE_URL. */
  INTAKE_IN_WORKERS: flag,
  /** Stored webhooks one `handoff worker` processes at once. */
  WORKER_CONCURRENCY: wholeNumber(1, 64, 8),
  /** How long a process holds a stored webhook it claimed before another may take it over, ms. */
  INBOX_LEASE_MS: wholeNumber(1_000, 3_600_000, 60_000),
});

export type Env = z.output<typeof envSchema>;

/** Used when ADMIN_TOKEN is unset on Node, so the demo works; printed with a warning at start. */
export const DEV_ADMIN_TOKEN = "handoff-dev-token";

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

/** The settings every runtime reads from the environment; the admin token is the runtime's call. */
export function settingsFromEnv(env: Env, adminToken: string, opts: { useFetch?: boolean } = {}): Settings {
  return {
    publicUrl: env.PUBLIC_URL ?? null,
    adminToken,
    secrets: {
      vapi: env.VAPI_SECRET,
      retell: env.RETELL_API_KEY,
      bland: env.BLAND_WEBHOOK_SECRET,
      intake: env.INTAKE_SECRET,
      twilioAuthToken: env.TWILIO_AUTH_TOKEN,
    },
    qstash: { currentSigningKey: env.QSTASH_CURRENT_SIGNING_KEY, nextSigningKey: env.QSTASH_NEXT_SIGNING_KEY },
    inboxLeaseMs: env.INBOX_LEASE_MS,
    reconcile: {
      // Retell signs its webhooks with the API key, so one variable serves both.
      apiKeys: { vapi: env.VAPI_API_KEY, retell: env.RETELL_API_KEY, bland: env.BLAND_API_KEY },
      twilio:
        env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
          ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, useFetch: opts.useFetch }
          : undefined,
    },
  };
}
