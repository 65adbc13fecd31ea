import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors.ts";
import { bearerToken, timingSafeEqual } from "../adapters/inbound/crypto.ts";

const SEND = "Send Authorization: Bearer <ADMIN_TOKEN>.";

/**
 * The Bearer check of /api (CONTRACT §8): a missing, empty or malformed Authorization header is
 * 401 like a wrong token (Hono's bearerAuth answers 400 for the malformed ones).
 */
export function adminAuth(adminToken: () => string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw new AppError("unauthorized", SEND);
    const token = bearerToken(c.req.raw.headers);
    if (!token) throw new AppError("unauthorized", `The Authorization header is not a Bearer token. ${SEND}`);
    if (!(await timingSafeEqual(token, adminToken()))) throw new AppError("unauthorized", "The admin token is wrong.");
    await next();
  };
}
