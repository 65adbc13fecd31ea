import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Deps } from "./core/deps.ts";
import { describeOutage, isDatabaseUnavailable } from "./db/unavailable.ts";
import { AppError, describeError } from "./errors.ts";
import { adminAuth } from "./http/admin-auth.ts";
import { aiWebhookRoutes } from "./http/ai-webhooks.ts";
import { apiRoutes } from "./http/api.ts";
import { healthRoutes } from "./http/health.ts";
import { qstashWebhookRoutes } from "./http/qstash-webhook.ts";
import type { AppEnv } from "./http/http.ts";
import { twilioWebhookRoutes } from "./http/twilio-webhooks.ts";

/** Bodies over this get 413 (CONTRACT §4); no lead or webhook needs more. */
export const MAX_BODY_BYTES = 1024 * 1024;

const errorBody = (code: string, message: string, details?: unknown) => ({
  error: { code, message, ...(details !== undefined && { details }) },
});

/** The whole gateway as one Hono app; node.ts and worker.ts only build `deps` and serve it. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      // The rest of the body is never read, so the server drops the socket soon after; a client
      // that pools connections must be told not to reuse this one.
      onError: (c) =>
        c.json(errorBody("payload_too_large", `The body is over ${MAX_BODY_BYTES} bytes (1 MiB).`), 413, { connection: "close" }),
    }),
  );

  app.route("/healthz", healthRoutes());

  app.use("/api/*", adminAuth(() => deps.settings.adminToken));
  app.route("/api", apiRoutes());
  app.route("/webhooks/qstash", qstashWebhookRoutes());
  app.route("/webhooks", aiWebhookRoutes());
  app.route("/webhooks", twilioWebhookRoutes());

  app.notFound((c) => c.json(errorBody("not_found", `No route ${c.req.method} ${c.req.path}.`), 404));
  app.onError((err, c) => {
    if (err instanceof AppError) return c.json(errorBody(err.code, err.message, err.details), err.status);
    if (err instanceof HTTPException) {
      const res = err.getResponse();
      if (res.headers.get("content-type")?.includes("json")) return res;
      return c.json(errorBody(res.status === 401 ? "unauthorized" : "bad_request", err.message), res.status as 400);
    }
    if (isDatabaseUnavailable(err)) {
      // An outage, not a bug: a 503 makes the sender retry (CONTRACT §4), and the idempotency key
      // recognises a retry of anything that was stored after all.
      deps.logger.warn("database unavailable", { path: c.req.path, error: describeOutage(err) });
      c.header("Retry-After", "5");
      return c.json(errorBody("unavailable", "The database is unavailable; send it again shortly (a repeat of anything already stored is recognised)."), 503);
    }
    deps.logger.error("unhandled error", { path: c.req.path, error: describeError(err, { stack: true }) });
    return c.json(errorBody("internal", "Something went wrong; it was logged."), 500);
  });
  return app;
}
