import { Hono } from "hono";
import { pingDatabase } from "../db/ping.ts";
import type { AppEnv } from "./http.ts";

/** How long /healthz waits for the database before calling it down. */
export const HEALTH_DB_TIMEOUT_MS = 2_000;

/**
 * GET /healthz (no auth): 200 `{ ok: true, db: "up" }` when the database answers a trivial
 * query, 503 `{ ok: false, db: "down" }` when it cannot, so a load balancer or uptime check
 * sees an outage the process itself survives.
 */
export function healthRoutes() {
  const routes = new Hono<AppEnv>();
  routes.get("/", async (c) => {
    const up = await pingDatabase(c.var.deps.db, HEALTH_DB_TIMEOUT_MS);
    return up ? c.json({ ok: true, db: "up" }) : c.json({ ok: false, db: "down" }, 503);
  });
  return routes;
}
