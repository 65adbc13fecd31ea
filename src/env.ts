import { z } from "zod";

const optional = z.string().trim().min(1).optional().catch(undefined);

/** The environment of CONTRACT §1, parsed once by an entry point. Everything is optional. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATABASE_URL: optional,
  DATA_DIR: z.string().default("./.data"),
  PUBLIC_URL: optional.transform((u) => u?.replace(/\/+$/, "")),
  ADMIN_TOKEN: optional,
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
