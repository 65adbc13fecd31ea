import type { OpenAPIHono, RouteConfig, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AppError } from "../../errors.ts";
import { keyOf, ownSlug } from "../api-auth.ts";
import { readJson, validate, type AppEnv } from "../http.ts";

type Part<R extends RouteConfig, K extends "params" | "query"> = R["request"] extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;
type Body<R extends RouteConfig> = R["request"] extends { body: { content: { "application/json": { schema: infer S extends z.ZodType } } } }
  ? z.output<S>
  : undefined;

/** A request's path parameters, query and JSON body, each validated with the schema its route declares. */
export interface Input<R extends RouteConfig> {
  params: Part<R, "params">;
  query: Part<R, "query">;
  body: Body<R>;
}

type Declared = RouteConfig;

/**
 * Who besides the operator may call a route. `own-business`: a business's API key, within its
 * business: a `business` in the query or body and a `{slug}` in the path are its own (implied
 * when left out, 403 when another); lead refs go through leadIdIn. Without it a key is refused
 * (403) before anything is read: applying config and managing keys stay the operator's (§11).
 */
export interface Access {
  keys?: "own-business";
}

const ACCESS_NOTE = {
  "own-business": "API keys: allowed, within the key's business (`business` implied).",
  operator: "API keys: refused (403); only the operator's `ADMIN_TOKEN`.",
} as const;

/** The route as documented: who may call it is written in its description and `x-api-keys`. */
function documented<R extends Declared>(route: R, access: Access): R {
  const who = access.keys ?? "operator";
  const description = [route.description, ACCESS_NOTE[who]].filter(Boolean).join("\n\n");
  return { ...route, description, "x-api-keys": who };
}

/** 403 for a key on a route that does not let keys in (the summary names what was refused). */
function refuseKeyUnlessAllowed(c: Context<AppEnv>, route: Declared, access: Access): void {
  if (!keyOf(c) || access.keys === "own-business") return;
  const what = route.summary ? `"${route.summary}"` : "this";
  throw new AppError("forbidden", `An API key cannot do ${what}: only the operator's ADMIN_TOKEN can.`);
}

/**
 * Hono's path for a documented one: `{id}` becomes `:id`, and `{id}.ics` (a parameter with an
 * extension, which Hono cannot split) becomes `:id{[^/]+\.ics}`, the extension stripped again
 * in readInput.
 */
export function routingPath(path: string): string {
  return path.replace(/\{(\w+)\}\.(\w+)/g, (_, name, ext) => `:${name}{[^/]+\\.${ext}}`).replace(/\{(\w+)\}/g, ":$1");
}

/** The path parameters of a request, a parameter written `{id}.ext` without its extension. */
function pathParams(c: Context<AppEnv>, path: string): Record<string, string> {
  const params = { ...c.req.param() } as Record<string, string>;
  for (const [, name, ext] of path.matchAll(/\{(\w+)\}\.(\w+)/g)) {
    if (params[name!]?.endsWith(`.${ext}`)) params[name!] = params[name!]!.slice(0, -ext!.length - 1);
  }
  return params;
}

/**
 * Mounts `handler` at `route` and adds the route to the API's OpenAPI document, so what is
 * documented is what is served and validated, from the same zod schemas.
 *
 * Input goes through this app's own readJson/validate rather than zod-openapi's validators: one
 * error shape for every route (`validation_failed` with every problem by path), a body read
 * whatever its Content-Type says (curl -d sends form-urlencoded), and the checks before zod
 * (empty body, nesting depth, NUL and lone surrogates) that keep a hostile body from a 500.
 */
export function declareRoute<R extends Declared>(
  api: OpenAPIHono<AppEnv>,
  route: R,
  handler: (c: Context<AppEnv>, input: Input<R>) => Promise<Response>,
  access: Access = {},
): void {
  api.openAPIRegistry.registerPath(documented(route, access));
  api.on(route.method.toUpperCase(), routingPath(route.path), async (c) => {
    refuseKeyUnlessAllowed(c, route, access);
    return handler(c, await readInput(c, route, true));
  });
}

/**
 * As declareRoute, but the JSON body reaches the handler parsed and unvalidated, for a verb that
 * validates it itself with its own message (a business config: "nothing was changed").
 */
export function declareRouteWithRawBody<R extends Declared>(
  api: OpenAPIHono<AppEnv>,
  route: R,
  handler: (c: Context<AppEnv>, input: Omit<Input<R>, "body"> & { body: unknown }) => Promise<Response>,
  access: Access = {},
): void {
  api.openAPIRegistry.registerPath(documented(route, access));
  api.on(route.method.toUpperCase(), routingPath(route.path), async (c) => {
    refuseKeyUnlessAllowed(c, route, access);
    const input = await readInput(c, route, false);
    return handler(c, { ...input, body: await readJson(c) });
  });
}

/** Whether a zod object schema (a query, a body) has a field `name`. */
const hasField = (schema: unknown, name: string) => Boolean((schema as { shape?: Record<string, unknown> } | undefined)?.shape?.[name]);

async function readInput<R extends Declared>(c: Context<AppEnv>, route: R, withBody: boolean): Promise<Input<R>> {
  const { params, query, body } = route.request ?? {};
  const media = body?.content["application/json"] as { schema?: z.ZodType } | undefined;
  const bodySchema = withBody ? media?.schema : undefined;
  const key = keyOf(c);
  const path = pathParams(c, route.path);
  const rawQuery: Record<string, string | undefined> = c.req.query();
  // A key's business: checked before validation, so a key never learns whether another business exists.
  if (key) {
    if ("slug" in path) ownSlug(key, path.slug);
    if (hasField(query, "business")) rawQuery.business = ownSlug(key, rawQuery.business);
  }
  let rawBody = bodySchema ? await readJson(c) : undefined;
  if (key && hasField(bodySchema, "business") && rawBody && typeof rawBody === "object" && !Array.isArray(rawBody)) {
    const named = (rawBody as { business?: unknown }).business;
    // Not a string: left to validation, which names it.
    if (named === undefined || typeof named === "string") rawBody = { ...rawBody, business: ownSlug(key, named) };
  }
  return {
    params: params ? validate(params as z.ZodType, path, "path") : undefined,
    query: query ? validate(query as z.ZodType, rawQuery, "query") : undefined,
    body: bodySchema ? validate(bodySchema, rawBody) : undefined,
  } as Input<R>;
}

/** The access of a route a business's API key may call, within its business. */
export const OWN_BUSINESS: Access = { keys: "own-business" };
