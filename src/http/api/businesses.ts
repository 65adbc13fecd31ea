import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { APPLY_FOLLOW_UPS } from "../apply-follow-ups.ts";
import { applyBusinessConfig, businessHistory, loadBusiness, publicConfig } from "../../admin/businesses.ts";
import { businessConfigSchema } from "../../domain/business-config.ts";
import type { AppEnv } from "../http.ts";
import { declareRoute, declareRouteWithRawBody, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { scheduleFeeds } from "./on-duty.ts";
import { BusinessApplied, BusinessView, named } from "./schemas.ts";

const tags = ["Businesses"];
const slug = z.object({ slug: z.string().openapi({ example: "acme", param: { name: "slug", in: "path" } }) });

const putBusiness = createRoute({
  method: "put",
  path: "/api/businesses/{slug}",
  tags,
  summary: "Apply a business config",
  description:
    "Validated whole (every problem listed); an invalid config changes nothing. Each change is a new version; an identical config is `changed: false`. A secret sent as `********` keeps the stored one. Docs: docs/configuration.md.",
  request: {
    params: slug,
    body: { content: { "application/json": { schema: named(businessConfigSchema, "BusinessConfig") } }, required: true },
  },
  responses: {
    201: { description: "The business was created.", content: { "application/json": { schema: BusinessApplied } } },
    200: { description: "The config was applied (or was already this one).", content: { "application/json": { schema: BusinessApplied } } },
    ...errorResponses(400, 413),
  },
});

const getBusiness = createRoute({
  method: "get",
  path: "/api/businesses/{slug}",
  tags,
  summary: "Get a business's config and its versions",
  request: { params: slug },
  responses: {
    200: { description: "The current config, secrets masked, and every version applied.", content: { "application/json": { schema: BusinessView } } },
    ...errorResponses(404),
  },
});

/** PUT/GET /api/businesses/{slug} of CONTRACT §8. */
export function businessRoutes(api: OpenAPIHono<AppEnv>): void {
  // applyBusinessConfig validates the config itself: one message, "nothing was changed".
  declareRouteWithRawBody(api, putBusiness, async (c, { params, body }) => {
    const { deps } = c.var;
    const result = await applyBusinessConfig(deps.db, body, { slug: params.slug, appliedBy: "api", now: deps.clock.now() });
    if (result.changed) {
      for (const followUp of APPLY_FOLLOW_UPS) deps.background.defer(followUp.name, async () => void (await followUp.run(deps, result.business.id)));
    }
    return c.json(
      { slug: result.business.slug, version: result.business.version, changed: result.changed, config: publicConfig(result.business.config) },
      result.created ? 201 : 200,
    );
  });

  declareRoute(api, getBusiness, async (c, { params }) => {
    const business = await loadBusiness(c.var.deps.db, params.slug);
    return c.json({
      slug: business.slug,
      version: business.version,
      config: publicConfig(business.config),
      versions: await businessHistory(c.var.deps.db, business.id),
      schedules: await scheduleFeeds(c, business.slug, business.config),
    });
  }, OWN_BUSINESS);
}
