import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../http.ts";
import { afterAcceptRoutes } from "./after-accept.ts";
import { businessRoutes } from "./businesses.ts";
import { deliveryRoutes } from "./deliveries.ts";
import { keyRoutes } from "./keys.ts";
import { leadRoutes } from "./leads.ts";
import { messageRoutes } from "./messages.ts";
import { onDutyRoutes } from "./on-duty.ts";
import { reconciliationRoutes } from "./reconciliation.ts";
import { metricsRoutes } from "./metrics.ts";
import { qaRoutes } from "./qa.ts";
import { reviewRoutes } from "./reviews.ts";

/**
 * The admin API of CONTRACT §8, every route declared with its schemas (declareRoute), paths in
 * full (`/api/...`) so the document names what a client calls. Mounted at the root by app.ts,
 * behind the Bearer check on /api/*.
 */
export function apiRoutes() {
  const api = new OpenAPIHono<AppEnv>();
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "The gateway's `ADMIN_TOKEN` (every business), or one business's API key (`hk_…`, POST /api/businesses/{slug}/keys) on the routes that allow keys.",
  });
  leadRoutes(api);
  afterAcceptRoutes(api);
  messageRoutes(api);
  businessRoutes(api);
  onDutyRoutes(api);
  reviewRoutes(api);
  qaRoutes(api);
  metricsRoutes(api);
  reconciliationRoutes(api);
  deliveryRoutes(api);
  keyRoutes(api);
  return api;
}

/** The OpenAPI 3.1 document of `api`, built once per app (it is the same for every request). */
export function openApiDocument(api: OpenAPIHono<AppEnv>) {
  return api.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Handoff gateway API",
      version: "1",
      description:
        "The admin API of the Handoff gateway: leads, their offers and outcomes, outbound messages, business configs and reviews. " +
        "Every route needs `Authorization: Bearer <ADMIN_TOKEN>` or, where its description allows, a business's API key; every error is `{ error: { code, message, details?, requestId } }`. " +
        "Webhooks (AI receptionists, Twilio, QStash) are described in docs/providers.md and docs/twilio.md.",
      license: { name: "MIT" },
    },
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "Leads", description: "A lead from intake to its outcome (CONTRACT §3, §8)." },
      { name: "Messages", description: "Every outbound SMS and call." },
      { name: "Businesses", description: "A business's config, applied as versions (docs/configuration.md)." },
      { name: "Reviews", description: "The SOP's reviews: end of day, the weekly QA review and the speed-to-lead metrics (CONTRACT §12)." },
      { name: "Reconciliation", description: "Pull what push missed: calls and texts listed at each provider's API (CONTRACT §14)." },
      { name: "Keys", description: "Per-business API keys, so an agency's tools need not hold the operator's token (CONTRACT §11)." },
      { name: "Deliveries", description: "Outbound events to the businesses' webhooks and how each delivery went (docs/events.md)." },
    ],
  });
}
