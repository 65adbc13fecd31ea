import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { createApiKey, listApiKeys, MAX_KEYS, revokeApiKey } from "../../admin/api-keys.ts";
import { loadBusiness } from "../../admin/businesses.ts";
import type { AppEnv } from "../http.ts";
import { declareRoute } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { ApiKeyCreated, ApiKeyList } from "./schemas.ts";

const tags = ["Keys"];
const slug = z.string().openapi({ example: "acme", param: { name: "slug", in: "path" } });

const create = createRoute({
  method: "post",
  path: "/api/businesses/{slug}/keys",
  tags,
  summary: "Make an API key for a business",
  description:
    "The answer is the only place the key is ever shown: it is stored as its SHA-256. The key reaches only this business's leads, messages, " +
    `reviews, QA and metrics; it cannot apply config or manage keys. At most ${MAX_KEYS} live keys per business (409 past that).`,
  request: {
    params: z.object({ slug }),
    body: {
      content: {
        "application/json": {
          schema: z.strictObject({ name: z.string().trim().min(1, "must not be empty").max(100).openapi({ example: "Agency CRM sync" }) }).openapi("ApiKeyInput"),
        },
      },
      required: true,
    },
  },
  responses: {
    201: { description: "The key, shown this once.", content: { "application/json": { schema: ApiKeyCreated } } },
    ...errorResponses(400, 404, 409, 413),
  },
});

const list = createRoute({
  method: "get",
  path: "/api/businesses/{slug}/keys",
  tags,
  summary: "List a business's API keys",
  description: "Live keys, oldest first, each with its first characters (`prefix`) to tell them apart; never the key.",
  request: { params: z.object({ slug }) },
  responses: { 200: { description: "The keys.", content: { "application/json": { schema: ApiKeyList } } }, ...errorResponses(404) },
});

const revoke = createRoute({
  method: "delete",
  path: "/api/businesses/{slug}/keys/{id}",
  tags,
  summary: "Revoke an API key",
  description: "From the next request on, the key is refused (401). A key already revoked, or another business's, is 404.",
  request: { params: z.object({ slug, id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
  responses: { 204: { description: "Revoked." }, ...errorResponses(400, 404) },
});

/** POST/GET/DELETE /api/businesses/{slug}/keys of CONTRACT §11: the operator's alone. */
export function keyRoutes(api: OpenAPIHono<AppEnv>): void {
  declareRoute(api, create, async (c, { params, body }) => {
    const { deps } = c.var;
    const business = await loadBusiness(deps.db, params.slug);
    return c.json(await createApiKey(deps.db, business, body.name, deps.clock.now()), 201);
  });
  declareRoute(api, list, async (c, { params }) => {
    const business = await loadBusiness(c.var.deps.db, params.slug);
    return c.json({ keys: await listApiKeys(c.var.deps.db, business) });
  });
  declareRoute(api, revoke, async (c, { params }) => {
    const { deps } = c.var;
    const business = await loadBusiness(deps.db, params.slug);
    await revokeApiKey(deps.db, business, params.id, deps.clock.now());
    return c.body(null, 204);
  });
}


