import { Hono } from "hono";
import { prometheusText } from "../admin/prometheus.ts";
import { bearerToken, timingSafeEqual } from "../adapters/inbound/crypto.ts";
import { AppError } from "../errors.ts";
import type { AppEnv } from "./http.ts";

/** How long one exposition is served again before it is counted anew: scrapers share it. */
const CACHE_MS = 10_000;

/**
 * `GET /metrics` (Node): the Prometheus exposition of admin/prometheus.ts behind a Bearer token,
 * `METRICS_TOKEN` when set (give the scraper that, not the admin token) or `ADMIN_TOKEN`. Counted
 * at most once per 10 s, however many scrapers ask.
 */
export function prometheusRoutes(tokens: () => (string | undefined)[]) {
  const app = new Hono<AppEnv>();
  let cached: { at: number; text: string } | null = null;
  app.get("/", async (c) => {
    const token = bearerToken(c.req.raw.headers);
    if (!token) throw new AppError("unauthorized", "Send Authorization: Bearer <METRICS_TOKEN> (or <ADMIN_TOKEN>).");
    let ok = false;
    for (const wanted of tokens()) if (wanted && (await timingSafeEqual(token, wanted))) ok = true;
    if (!ok) throw new AppError("unauthorized", "The metrics token is wrong.");
    const now = Date.now();
    if (!cached || now - cached.at > CACHE_MS) cached = { at: now, text: await prometheusText(c.var.deps.db) };
    return c.body(cached.text, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
  });
  return app;
}
