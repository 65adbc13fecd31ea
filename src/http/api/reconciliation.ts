import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { loadBusiness } from "../../admin/businesses.ts";
import { reconciliationOf } from "../../reconcile/status.ts";
import type { AppEnv } from "../http.ts";
import { declareRoute, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";

const instant = z.iso.datetime().openapi({ example: "2026-12-01T15:04:05.000Z" });

/** One provider's reconciliation for a business, as GET /api/reconciliation answers it. */
export const ProviderReconciliation = z
  .object({
    enabled: z.boolean().openapi({ description: "Whether the business is reconciled with this provider now." }),
    off: z.string().nullable().openapi({ description: "Why not, when it is off (no API key, no numbers…)." }),
    lastRunAt: instant.nullable().openapi({ description: "When the last run started." }),
    lastSuccessAt: instant.nullable().openapi({ description: "When the last run that completed started." }),
    watermark: instant.nullable().openapi({ description: "Every call before this (less `lookBack`) has been listed and is in." }),
    nextRunAt: instant.nullable().openapi({ description: "When the next run is due." }),
    seen: z.number().int().openapi({ description: "Calls and texts the last run listed for this business." }),
    recovered: z.number().int().openapi({ description: "Of those, how many no webhook had delivered: the last run made or updated their leads." }),
    errors: z.number().int().openapi({ description: "Runs failed since the last one that completed (retried with backoff)." }),
    lastError: z.string().nullable(),
    totals: z.object({ runs: z.number().int(), seen: z.number().int(), recovered: z.number().int(), errors: z.number().int() }),
  })
  .openapi("ProviderReconciliation");

/** A business's reconciliation with every provider (CONTRACT §14), keyed by provider. */
export const Reconciliation = z
  .object({
    business: z.string().openapi({ example: "acme" }),
    vapi: ProviderReconciliation,
    retell: ProviderReconciliation,
    bland: ProviderReconciliation,
    twilio: ProviderReconciliation,
  })
  .openapi("Reconciliation");

export const ReconciliationQuery = z.object({ business: z.string().min(1).openapi({ example: "acme" }) });

const status = createRoute({
  method: "get",
  path: "/api/reconciliation",
  tags: ["Reconciliation"],
  summary: "What reconciliation found, per provider",
  description:
    "For each provider (Vapi, Retell, Bland, Twilio): whether the business is reconciled with it, the last run, what it listed (`seen`) and " +
    "recovered (calls and texts whose webhook never came), and the runs failed since the last success. See docs/reliability.md.",
  request: { query: ReconciliationQuery },
  responses: {
    200: { description: "The business's reconciliation.", content: { "application/json": { schema: Reconciliation } } },
    ...errorResponses(400, 404),
  },
});

/** GET /api/reconciliation of CONTRACT §14. */
export function reconciliationRoutes(api: OpenAPIHono<AppEnv>): void {
  declareRoute(api, status, async (c, { query }) => {
    const business = await loadBusiness(c.var.deps.db, query.business);
    return c.json(await reconciliationOf(c.var.deps, business));
  }, OWN_BUSINESS);
}
