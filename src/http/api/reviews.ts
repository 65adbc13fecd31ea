import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { loadBusiness } from "../../admin/businesses.ts";
import { endOfDayReview } from "../../escalation/end-of-day-review.ts";
import type { AppEnv } from "../http.ts";
import { declareRoute, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { EndOfDayReview } from "./schemas.ts";

const endOfDay = createRoute({
  method: "get",
  path: "/api/reviews/end-of-day",
  tags: ["Reviews"],
  summary: "The end-of-day review list",
  description: "Open leads with no recorded next action (SOP \"End of day\"), most pressing first, for today or a past date in the business's time zone.",
  request: {
    query: z.object({
      business: z.string().min(1).openapi({ example: "acme" }),
      date: z.iso.date("use YYYY-MM-DD").optional().openapi({ description: "Default: today in the business's zone; not after today." }),
    }),
  },
  responses: {
    200: { description: "The review.", content: { "application/json": { schema: EndOfDayReview } } },
    ...errorResponses(400, 404),
  },
});

/** GET /api/reviews/end-of-day of CONTRACT §8. */
export function reviewRoutes(api: OpenAPIHono<AppEnv>): void {
  declareRoute(api, endOfDay, async (c, { query }) => {
    const business = await loadBusiness(c.var.deps.db, query.business);
    return c.json(await endOfDayReview(c.var.deps, business, query.date));
  }, OWN_BUSINESS);
}
