import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Deps } from "./core/deps.ts";
import { describeOutage, isDatabaseUnavailable } from "./db/unavailable.ts";
import { describeError } from "./errors.ts";
import { apiAuth } from "./http/api-auth.ts";
import { aiWebhookRoutes } from "./http/ai-webhooks.ts";
import { apiRoutes, openApiDocument } from "./http/api/routes.ts";
import { referenceRoutes, type DocsScript } from "./http/api/reference.ts";
import { errorBody, httpErrorOf } from "./http/error-response.ts";
import { consoleErrorPage } from "./console/error-page.ts";
import { consoleRoutes, type ConsoleScript } from "./console/routes.ts";
import { CONSOLE_BASE } from "./console/paths.ts";
import { calendarFeedRoutes } from "./http/calendar-feed.ts";
import { healthRoutes } from "./http/health.ts";
import { prometheusRoutes } from "./http/prometheus.ts";
import { qstashWebhookRoutes } from "./http/qstash-webhook.ts";
import { requestId } from "./http/request-id.ts";
import type { AppEnv } from "./http/http.ts";
import { twilioWebhookRoutes } from "./http/twilio-webhooks.ts";

/** Bodies over this get 413 (CONTRACT §4); no lead or webhook needs more. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  /** Serves the API reference page's script (Node); absent on Workers, whose static assets serve it. */
  docsScript?: DocsScript;
  /** Serves the console's htmx (Node); absent on Workers, whose static assets serve it. */
  consoleScript?: ConsoleScript;
  /** Serves `GET /metrics` for Prometheus (Node), behind `METRICS_TOKEN` (when set) or `ADMIN_TOKEN`. */
  prometheus?: { token?: string | undefined };
}

const isConsolePath = (path: string) => path === CONSOLE_BASE || path.startsWith(`${CONSOLE_BASE}/`);

/** The whole gateway as one Hono app; node.ts and worker.ts only build `deps` and serve it. */
export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new Hono<AppEnv>();

  // First, so every answer (errors from any later middleware included) carries X-Request-Id.
  app.use(requestId());
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
        c.json(errorBody("payload_too_large", `The body is over ${MAX_BODY_BYTES} bytes (1 MiB).`, c.var.requestId), 413, { connection: "close" }),
    }),
  );

  app.route("/healthz", healthRoutes());
  const { prometheus } = options;
  if (prometheus) app.route("/metrics", prometheusRoutes(() => [prometheus.token, deps.settings.adminToken]));

  const api = apiRoutes();
  let document: object | undefined;
  // Before the Bearer check: the description and its page need no token (CONTRACT §8).
  app.route("/", referenceRoutes(() => (document ??= openApiDocument(api)), options.docsScript));
  app.use("/api/*", apiAuth());
  app.route("/", api);
  app.route("/", consoleRoutes(options.consoleScript));
  app.route("/calendars", calendarFeedRoutes());
  app.route("/webhooks/qstash", qstashWebhookRoutes());
  app.route("/webhooks", aiWebhookRoutes());
  app.route("/webhooks", twilioWebhookRoutes());

  app.notFound((c) => c.json(errorBody("not_found", `No route ${c.req.method} ${c.req.path}.`, c.var.requestId), 404));
  app.onError((err, c) => {
    const { requestId } = c.var;
    // AppErrors and domain errors are answers, not failures: one table (http/error-response.ts).
    const known = httpErrorOf(err);
    if (known && isConsolePath(c.req.path)) return consoleErrorPage(c, known, requestId);
    if (known) return c.json(errorBody(known.code, known.message, requestId, known.details), known.status);
    if (err instanceof HTTPException) {
      // hono's own refusals; rewrapped (never passed through) so they carry the request id too.
      const status = err.getResponse().status;
      return c.json(errorBody(status === 401 ? "unauthorized" : "bad_request", err.message, requestId), status as 400);
    }
    if (isDatabaseUnavailable(err)) {
      // An outage, not a bug: a 503 makes the sender retry (CONTRACT §4), and the idempotency key
      // recognises a retry of anything that was stored after all.
      deps.logger.warn("database unavailable", { path: c.req.path, requestId, error: describeOutage(err) });
      c.header("Retry-After", "5");
      return c.json(
        errorBody("unavailable", "The database is unavailable; send it again shortly (a repeat of anything already stored is recognised).", requestId),
        503,
      );
    }
    deps.logger.error("unhandled error", { path: c.req.path, requestId, error: describeError(err, { stack: true }) });
    return c.json(errorBody("internal", "Something went wrong; it was logged.", requestId), 500);
  });
  return app;
}
