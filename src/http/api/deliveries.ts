import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { deliveriesPage, getDelivery } from "../../admin/delivery-log.ts";

import { DELIVERY_STATUSES, OUTBOUND_EVENT_TYPES } from "../../domain/outbound-event.ts";
import { retryDelivery } from "../../events/retry-delivery.ts";
import type { AppEnv } from "../http.ts";
import { DeliveryNotFound } from "../../domain/errors.ts";
import { keyOf, leadIdIn } from "../api-auth.ts";
import { declareRoute, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { cursor, limit } from "./leads.ts";
import { instant, nextCursor } from "./schemas.ts";

/** One outbound event to one webhook subscription (CONTRACT §13), as the delivery log shows it. */
export const Delivery = z
  .object({
    id: z.uuid().openapi({ description: "Also the `webhook-id` header of every attempt, so a receiver can drop repeats." }),
    business: z.string(),
    leadId: z.uuid().nullable(),
    webhookId: z.string().openapi({ description: "The subscription's `id` in the business's `webhooks`." }),
    url: z.string().openapi({ description: "The subscription's URL when the event happened (each attempt uses the current one)." }),
    event: z.enum(OUTBOUND_EVENT_TYPES),
    status: z.enum(DELIVERY_STATUSES).openapi({
      description: "`pending`: not yet answered with a 2xx (see `nextAttemptAt`); `delivered`; `failed`: every retry failed (a later event no longer waits for it).",
    }),
    attempts: z.number().int(),
    nextAttemptAt: instant.nullable(),
    lastAttemptAt: instant.nullable(),
    lastStatus: z.number().int().nullable().openapi({ description: "The HTTP status of the last attempt; null when it got none (timeout, refused)." }),
    lastError: z.string().nullable(),
    deliveredAt: instant.nullable(),
    createdAt: instant,
    payload: z.record(z.string(), z.unknown()).openapi({ description: "The body sent, `{ type, timestamp, data: { lead } }` (docs/events.md)." }),
  })
  .openapi("Delivery");

export const DeliveryPage = z.object({ deliveries: z.array(Delivery), nextCursor }).openapi("DeliveryPage");

const listDeliveries = createRoute({
  method: "get",
  path: "/api/deliveries",
  tags: ["Deliveries"],
  summary: "List outbound event deliveries",
  description:
    "The delivery log of outbound events to the businesses' webhooks, newest first, as `{ deliveries, nextCursor }` (paged like leads). " +
    "Filter by `business`, `status` (`pending`, `delivered`, `failed`) and `lead`.",
  request: {
    query: z.object({
      business: z.string().optional().openapi({ description: "A business slug; unknown is 404." }),
      status: z.enum(DELIVERY_STATUSES).optional(),
      lead: z.string().optional().openapi({ description: "A lead id or `business:code`.", example: "acme:1042" }),
      cursor,
      limit: limit(500, 100),
    }),
  },
  responses: {
    200: { description: "A page of deliveries.", content: { "application/json": { schema: DeliveryPage } } },
    ...errorResponses(400, 404),
  },
});

const retry = createRoute({
  method: "post",
  path: "/api/deliveries/{id}/retry",
  tags: ["Deliveries"],
  summary: "Send a delivery again",
  description:
    "Makes the delivery `pending` again, due now, with a fresh retry schedule; the attempt starts after this answer. Any status may be retried " +
    "(a receiver that lost a delivered event can have it again, with the same `webhook-id`). 409 while an attempt at it is in flight.",
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
  responses: {
    200: { description: "The delivery as the retry left it: pending and due now (its attempt may already be under way).", content: { "application/json": { schema: Delivery } } },
    ...errorResponses(400, 404, 409),
  },
});

/** GET /api/deliveries and POST /api/deliveries/:id/retry of CONTRACT §13. */
export function deliveryRoutes(api: OpenAPIHono<AppEnv>): void {
  declareRoute(api, listDeliveries, async (c, { query }) => {
    const lead = query.lead === undefined ? undefined : await leadIdIn(c, query.lead, "lead");
    return c.json(await deliveriesPage(c.var.deps.db, { ...query, lead }));
  }, OWN_BUSINESS);
  declareRoute(api, retry, async (c, { params }) => {
    // A key retries only its business's deliveries; another's is as if there were none.
    const key = keyOf(c);
    if (key && (await getDelivery(c.var.deps.db, params.id)).business !== key.slug) throw new DeliveryNotFound(params.id);
    await retryDelivery(c.var.deps, params.id);
    return c.json(await getDelivery(c.var.deps.db, params.id));
  }, OWN_BUSINESS);
}
