import type { Context } from "hono";
import type { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { KeyHolder } from "../admin/api-keys.ts";
import { tooDeep } from "../domain/json-depth.ts";
import { unstorablePaths } from "../domain/storable-text.ts";
import { AppError } from "../errors.ts";

/** Who a request to /api is: the operator (ADMIN_TOKEN, every business) or one business's API key. */
export type Access = { kind: "operator" } | ({ kind: "key" } & KeyHolder);

/**
 * Hono's environment for this app: the deps reach every handler as `c.var.deps`, the request's
 * id as `c.var.requestId`, and on /api who is asking as `c.var.access` (set by the Bearer check).
 */
export type AppEnv = { Variables: { deps: Deps; requestId: string; access?: Access } };

/** Parses a JSON body, answering 400 naming the problem when it is not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") throw new AppError("bad_request", "The request body is empty; send a JSON object.");
  const deep = tooDeep(text);
  if (deep) throw new AppError("bad_request", `The request body is not accepted: ${deep}.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError("bad_request", `The request body is not valid JSON: ${(err as Error).message}`);
  }
  refuseUnstorable(json, "request body");
  return json;
}

/** 400 naming every string PostgreSQL could not store (NUL, a lone surrogate), before any write. */
function refuseUnstorable(input: unknown, what: string): void {
  const paths = unstorablePaths(input);
  if (paths.length === 0) return;
  throw new AppError(
    "validation_failed",
    `The ${what} is invalid.`,
    paths.map((path) => ({ path, message: "contains a NUL character (\\u0000) or a lone surrogate, which cannot be stored" })),
  );
}

/** Validates input with a zod schema; 400 with every problem by path otherwise. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = "request body"): z.output<S> {
  refuseUnstorable(input, what);
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "validation_failed",
      `The ${what} is invalid.`,
      parsed.error.issues.map((i) => ({
        path: i.path.map(String).join(".") || "(root)",
        message: i.code === "unrecognized_keys" ? `unknown field(s): ${i.keys.join(", ")}` : i.message,
      })),
    );
  }
  return parsed.data;
}
