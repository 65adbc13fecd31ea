import type { Context, MiddlewareHandler } from "hono";
import { keyHolder, type KeyHolder } from "../admin/api-keys.ts";
import { resolveLeadRef } from "../admin/queries.ts";
import { parseLeadRef } from "../domain/lead-ref.ts";
import { AppError } from "../errors.ts";
import { bearerToken, timingSafeEqual } from "../adapters/inbound/crypto.ts";
import type { AppEnv } from "./http.ts";

export type { Access } from "./http.ts";

const SEND = "Send Authorization: Bearer <ADMIN_TOKEN> or a business's API key.";

/**
 * The Bearer check of /api (CONTRACT §8, §11): the operator's token, or a live key of one
 * business (`hk_…`). A missing, empty or malformed Authorization header is 401 like a wrong
 * token (Hono's bearerAuth answers 400 for the malformed ones); so is a revoked key.
 */
export function apiAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { deps } = c.var;
    const header = c.req.header("authorization");
    if (!header) throw new AppError("unauthorized", SEND);
    const token = bearerToken(c.req.raw.headers);
    if (!token) throw new AppError("unauthorized", `The Authorization header is not a Bearer token. ${SEND}`);
    if (await timingSafeEqual(token, deps.settings.adminToken)) {
      c.set("access", { kind: "operator" });
    } else {
      const holder = await keyHolder(deps.db, token, deps.clock.now());
      if (!holder) throw new AppError("unauthorized", "The token is neither the admin token nor a live API key.");
      c.set("access", { kind: "key", ...holder });
    }
    await next();
  };
}

/** The key behind a request, or undefined for the operator. */
export function keyOf(c: Context<AppEnv>): KeyHolder | undefined {
  const access = c.var.access;
  return access?.kind === "key" ? access : undefined;
}

/**
 * The business slug a request may reach: for a key, its own (implied when none was named; 403
 * when another was); for the operator, what was named.
 */
export function ownSlug(key: KeyHolder | undefined, named: string | undefined, what = "business"): string | undefined {
  if (!key || named === key.slug) return named;
  if (named === undefined) return key.slug;
  throw new AppError("forbidden", `This API key is ${key.slug}'s; it cannot reach ${what} "${named.slice(0, 100)}".`);
}

/**
 * The id of the lead `ref` names (a UUID or `business:code`), within the key's business for a
 * key: another business's code is 403 (the ref names it), another business's UUID is 404 (as
 * if there were none, so ids cannot be probed).
 */
export async function leadIdIn(c: Context<AppEnv>, ref: string, what = "lead id"): Promise<string> {
  const key = keyOf(c);
  const parsed = parseLeadRef(ref);
  if (key && parsed && "slug" in parsed) ownSlug(key, parsed.slug, "lead");
  return resolveLeadRef(c.var.deps.db, ref, what, key?.businessId);
}
