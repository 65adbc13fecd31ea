import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { timingSafeEqual } from "../adapters/inbound/crypto.ts";
import { isUnstorable } from "../domain/storable-text.ts";
import { AppError } from "../errors.ts";
import type { AppEnv } from "../http/http.ts";
import { CONSOLE_BASE } from "./paths.ts";
import { viewerOf } from "./sessions.ts";
import type { ConsoleEnv } from "./console-env.ts";

export const SESSION_COOKIE = "handoff_session";
/** Before sign-in there is no session: the sign-in forms' CSRF token is this cookie's (double submit). */
export const SIGN_IN_COOKIE = "handoff_sign_in";

/** The cookie attributes of CONTRACT §11: HttpOnly, SameSite=Lax, Secure when PUBLIC_URL is https. */
export function cookieOptions<E extends AppEnv>(c: Context<E>) {
  const secure = c.var.deps.settings.publicUrl?.startsWith("https://") ?? false;
  return { httpOnly: true, sameSite: "Lax" as const, secure, path: CONSOLE_BASE };
}

/** The origin this console is served at: PUBLIC_URL's when set, else the request's own. */
function ownOrigin<E extends AppEnv>(c: Context<E>): string {
  const publicUrl = c.var.deps.settings.publicUrl;
  try {
    if (publicUrl) return new URL(publicUrl).origin;
  } catch {
    // an unparsable PUBLIC_URL is env.ts's to refuse; the request's own origin stands in
  }
  return new URL(c.req.url).origin;
}

/**
 * A form POST must come from the console's own pages: an Origin other than ours (or, without
 * Origin, a Sec-Fetch-Site other than same-origin) is refused, and so is a missing or wrong
 * `_csrf` field. `expected` is the session's token (or the sign-in cookie's).
 */
export async function checkForm<E extends AppEnv>(c: Context<E>, expected: string | undefined): Promise<Record<string, string>> {
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== ownOrigin(c)) throw new AppError("forbidden", "This form was sent from another site; nothing was changed.");
  const site = c.req.header("sec-fetch-site");
  if (origin === undefined && site !== undefined && site !== "same-origin" && site !== "none") {
    throw new AppError("forbidden", "This form was sent from another site; nothing was changed.");
  }
  const form = await readForm(c);
  const token = form._csrf;
  if (!expected || !token || !(await timingSafeEqual(token, expected))) {
    throw new AppError("forbidden", "The form's security token is missing or out of date; reload the page and try again. Nothing was changed.");
  }
  return form;
}

/** The body of a form POST as plain strings (files and repeated fields dropped); 400 when it is not a form. */
export async function readForm<E extends AppEnv>(c: Context<E>): Promise<Record<string, string>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the form as application/x-www-form-urlencoded.");
  }
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw new AppError("bad_request", "The form could not be read.");
  }
  const form: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === "string") form[key] = value;
  refuseUnstorable(form, "form");
  return form;
}

/**
 * 400 naming each value PostgreSQL could not take (a NUL, a lone surrogate), before any query
 * sees it: the same rule as the API's bodies (http/http.ts), for the console's forms and queries.
 */
function refuseUnstorable(values: Record<string, string>, what: string): void {
  const bad = Object.entries(values).filter(([, v]) => isUnstorable(v));
  if (bad.length === 0) return;
  throw new AppError(
    "validation_failed",
    `The ${what} is invalid.`,
    bad.map(([path]) => ({ path, message: "contains a NUL character (\\u0000) or a lone surrogate, which cannot be stored" })),
  );
}

/** Every console request: its query values must be storable text (see refuseUnstorable). */
export function storableQuery(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    refuseUnstorable(c.req.query(), "query");
    await next();
  };
}

/**
 * Every console route past sign-in: the session's viewer, else back to sign-in (303; htmx
 * polls get HX-Redirect so the whole page goes). POSTs are checked by checkForm here, once.
 */
export function requireViewer(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const viewer = await viewerOf(c.var.deps, getCookie(c, SESSION_COOKIE));
    if (!viewer) {
      if (c.req.method !== "GET" && c.req.method !== "HEAD") throw new AppError("unauthorized", "You are signed out (the session ended); sign in again. Nothing was changed.");
      if (c.req.header("hx-request")) {
        c.header("HX-Redirect", CONSOLE_BASE);
        return c.body(null, 204);
      }
      return c.redirect(CONSOLE_BASE, 303);
    }
    c.set("viewer", viewer);
    if (c.req.method === "POST") await checkForm(c, viewer.csrf);
    await next();
  };
}

/**
 * The requester's address, for the per-address limit: the socket's on Node (a header there is
 * whatever the client wrote, so a `CF-Connecting-IP` sent to Node directly must not pick its own
 * bucket), Cloudflare's header on Workers (set by the edge, never the client's).
 */
export function clientIp<E extends AppEnv>(c: Context<E>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const socket = incoming?.socket?.remoteAddress;
  if (socket) return socket.slice(0, 64);
  const cf = c.req.header("cf-connecting-ip");
  if (cf) return cf.slice(0, 64);
  return c.req.header("x-forwarded-for")?.split(",")[0]?.trim().slice(0, 64) || "unknown";
}
