import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { loadBusiness } from "../../admin/businesses.ts";
import { leadMetrics } from "../../admin/metrics.ts";
import { metricsCsv } from "../../admin/metrics-csv.ts";
import { metricsRange } from "../../admin/metrics-range.ts";
import type { AppEnv } from "../http.ts";
import { declareRoute, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { Metrics } from "./metrics-schemas.ts";

const bound = (what: string) =>
  z
    .string()
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || !Number.isNaN(Date.parse(v)), "use YYYY-MM-DD (business zone) or an ISO timestamp")
    .optional()
    .openapi({ description: what });

const metrics = createRoute({
  method: "get",
  path: "/api/metrics",
  tags: ["Reviews"],
  summary: "Speed-to-lead metrics",
  description:
    "CONTRACT §12, for the business's leads that came in within [from, to): leads by state, channel, source and urgency; time to offer and to accept (p50, p90, seconds); " +
    "accepted within window; escalations; rejections by reason; missed calls recovered; outcomes and booked rate; leads completed by the customer; the same per member. " +
    "`format=csv` answers one figure a row (`scope,metric,key,value`).",
  request: {
    query: z.object({
      business: z.string().min(1).openapi({ example: "acme" }),
      from: bound("Start (inclusive): a date (midnight in the business's zone) or a timestamp. Default: 30 days before `to`."),
      to: bound("End (exclusive): a date (midnight in the business's zone, so `to=2026-12-08` ends with 7 December) or a timestamp. Default: now."),
      format: z.enum(["json", "csv"]).default("json"),
    }),
  },
  responses: {
    200: {
      description: "The metrics.",
      content: { "application/json": { schema: Metrics }, "text/csv": { schema: z.string().openapi({ example: "scope,metric,key,value\r\nbusiness,leads,,42\r\n" }) } },
    },
    ...errorResponses(400, 404),
  },
});

/** GET /api/metrics of CONTRACT §12. */
export function metricsRoutes(api: OpenAPIHono<AppEnv>): void {
  declareRoute(api, metrics, async (c, { query }) => {
    const { deps } = c.var;
    const business = await loadBusiness(deps.db, query.business);
    const { from, to } = metricsRange(business, query.from, query.to, deps.clock.now());
    const result = await leadMetrics(deps.db, business, from, to);
    if (query.format === "csv") {
      return new Response(metricsCsv(result), {
        headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="metrics-${business.slug}.csv"` },
      });
    }
    return c.json(result);
  }, OWN_BUSINESS);
}
