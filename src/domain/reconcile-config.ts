import { z } from "zod";
import { duration } from "./config-fields.ts";
import { e164Phone } from "./phone.ts";

/** The AI-receptionist providers whose call lists reconciliation reads (Twilio is configured apart). */
export const RECONCILE_API_PROVIDERS = ["vapi", "retell", "bland"] as const;
export type ReconcileApiProvider = (typeof RECONCILE_API_PROVIDERS)[number];

/** Every provider reconciliation can pull from: the three above and Twilio. */
export const RECONCILE_PROVIDERS = [...RECONCILE_API_PROVIDERS, "twilio"] as const;
export type ReconcileProvider = (typeof RECONCILE_PROVIDERS)[number];

/** Each provider's public API, used when `baseUrl` is not set (CONTRACT §14). */
export const DEFAULT_API_BASE: Record<ReconcileApiProvider, string> = {
  vapi: "https://api.vapi.ai",
  retell: "https://api.retellai.com",
  bland: "https://api.bland.ai",
};

const providerApi = (name: string) =>
  z
    .strictObject({
      apiKey: z
        .string()
        .min(1)
        .optional()
        .describe(`The ${name} API key reconciliation lists calls with; absent: the environment's default. Masked when read back.`),
      baseUrl: z
        .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
        .optional()
        .describe(`The ${name} API base URL (a proxy, or a local fake in tests); default the provider's public API`),
      numbers: z
        .array(e164Phone)
        .optional()
        .describe(`The numbers this business's ${name} calls come in on; default the business's \`numbers\`. Calls to other numbers of a shared account are not this business's.`),
    })
    .optional();

/**
 * `reconcile` (CONTRACT §14): how the gateway asks each provider for the calls whose webhook never
 * came. A provider is reconciled when it has a key (here or in the environment); Twilio when
 * `twilio` is true and the gateway has Twilio credentials.
 */
export const reconcileSchema = z
  .strictObject({
    vapi: providerApi("Vapi"),
    retell: providerApi("Retell"),
    bland: providerApi("Bland"),
    twilio: z.boolean().default(false).describe("List inbound calls (with their <Dial> legs) and texts to `numbers` at Twilio"),
    every: duration.default("5m").describe("How often each provider is asked (on Workers: the Cron Trigger's 5 minutes at best)"),
    lookBack: duration.default("2h").describe("How far before the last complete run each run looks again (the overlap), and how far the first run looks back"),
  })
  .prefault({});

export type ReconcileConfig = z.output<typeof reconcileSchema>;
