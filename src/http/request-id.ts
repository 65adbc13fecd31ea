import type { MiddlewareHandler } from "hono";

/** The header a request id travels in, both ways. */
export const REQUEST_ID_HEADER = "X-Request-Id";

/** What an incoming id may look like to be kept: a token safe to log and echo. */
const SANE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The caller's X-Request-Id when it is a sane token (so a proxy's id follows the request into
 * our logs), else a fresh one; never an attacker's newline or a megabyte of text.
 */
export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/**
 * Sets `c.var.requestId` and answers it in X-Request-Id on every response, errors included.
 * (hono/request-id allows other characters and 255 of them; this is the rule docs/api.md states.)
 */
export function requestId(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const id = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    c.set("requestId", id);
    await next();
    // After the handler (or onError, notFound, bodyLimit) answered: hono copies a finished response.
    c.header(REQUEST_ID_HEADER, id);
  };
}
