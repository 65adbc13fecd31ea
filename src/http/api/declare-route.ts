import type { OpenAPIHono, RouteConfig, z } from "@hono/zod-openapi";
import type { Context } from "hono";
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
): void {
  api.openAPIRegistry.registerPath(route);
  api.on(route.method.toUpperCase(), routingPath(route.path), async (c) => handler(c, await readInput(c, route, true)));
}

/**
 * As declareRoute, but the JSON body reaches the handler parsed and unvalidated, for a verb that
 * validates it itself with its own message (a business config: "nothing was changed").
 */
export function declareRouteWithRawBody<R extends Declared>(
  api: OpenAPIHono<AppEnv>,
  route: R,
  handler: (c: Context<AppEnv>, input: Omit<Input<R>, "body"> & { body: unknown }) => Promise<Response>,
): void {
  api.openAPIRegistry.registerPath(route);
  api.on(route.method.toUpperCase(), routingPath(route.path), async (c) => {
    const input = await readInput(c, route, false);
    return handler(c, { ...input, body: await readJson(c) });
  });
}

async function readInput<R extends Declared>(c: Context<AppEnv>, route: R, withBody: boolean): Promise<Input<R>> {
  const { params, query, body } = route.request ?? {};
  const media = body?.content["application/json"] as { schema?: z.ZodType } | undefined;
  const bodySchema = withBody ? media?.schema : undefined;
  return {
    params: params ? validate(params as z.ZodType, pathParams(c, route.path), "path") : undefined,
    query: query ? validate(query as z.ZodType, c.req.query(), "query") : undefined,
    body: bodySchema ? validate(bodySchema, await readJson(c)) : undefined,
  } as Input<R>;
}
