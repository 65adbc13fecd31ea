import { Hono } from "hono";
import { z } from "zod";
import { tooDeep } from "../domain/json-depth.ts";
import { AppError } from "../errors.ts";
import { qstashWebhookUrl } from "../adapters/scheduler/qstash.ts";
import { verifyQstash } from "../adapters/inbound/qstash.ts";
import { deliverQstashTimer } from "../escalation/qstash-delivery.ts";
import { countRejection } from "../core/inbox.ts";
import { validate, type AppEnv } from "./http.ts";

const delivery = z.object({ timerId: z.uuid("not a timer id") });

/** Rejections of QStash deliveries are counted under this name: they belong to no one business. */
const NO_BUSINESS = "*";

/**
 * POST /webhooks/qstash: a timer wake-up from QStash. Verified on the raw body (the JWT's `sub`
 * must be this gateway's public URL, its `body` claim this body's SHA-256), stored under the
 * Upstash-Message-Id, then the timer is claimed and fired. 200 for everything that must not be
 * retried (fired, duplicate, unknown or already fired timer); 500 only when the firing failed,
 * so QStash delivers again.
 */
export function qstashWebhookRoutes() {
  const routes = new Hono<AppEnv>();
  routes.post("/", async (c) => {
    const { deps } = c.var;
    const rawBody = await c.req.text();
    const now = deps.clock.now();
    const { publicUrl, qstash } = deps.settings;

    const configured = Boolean(publicUrl && qstash.currentSigningKey);
    const verified =
      configured &&
      (await verifyQstash({
        rawBody,
        signature: c.req.header("upstash-signature"),
        url: qstashWebhookUrl(publicUrl!),
        currentSigningKey: qstash.currentSigningKey,
        nextSigningKey: qstash.nextSigningKey,
      }));
    if (!verified) {
      const reason = configured ? "bad signature" : "no signing key or public URL configured";
      await countRejection(deps.db, NO_BUSINESS, "qstash", reason, now);
      throw new AppError("unauthorized", configured ? "The Upstash-Signature does not match." : "QStash deliveries are not configured (QSTASH_CURRENT_SIGNING_KEY, PUBLIC_URL).");
    }

    const messageId = c.req.header("upstash-message-id");
    if (!messageId) throw new AppError("bad_request", "The Upstash-Message-Id header is missing.");
    const deep = tooDeep(rawBody);
    if (deep) throw new AppError("bad_request", `The body is not accepted: ${deep}.`);
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new AppError("bad_request", "The body is not JSON; QStash deliveries carry { \"timerId\": \"…\" }.");
    }
    const { timerId } = validate(delivery, body);

    const result = await deliverQstashTimer(deps, { messageId, timerId, rawBody, headers: c.req.raw.headers });
    if (result.status === "failed") {
      // The failure is already logged where it happened; a 500 is what makes QStash retry.
      throw new AppError("internal", "The timer could not be fired; QStash will deliver it again.");
    }
    return c.json({ ok: true, ...result });
  });
  return routes;
}
