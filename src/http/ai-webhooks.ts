import { Hono } from "hono";
import type { BusinessConfig } from "../domain/business-config.ts";
import type { Settings } from "../core/deps.ts";
import { AppError } from "../errors.ts";
import { verifyBland } from "../adapters/inbound/bland.ts";
import { sha256Hex, type VerifyInput } from "../adapters/inbound/crypto.ts";
import { verifyIntake } from "../adapters/inbound/intake.ts";
import { verifyRetell } from "../adapters/inbound/retell.ts";
import { verifyVapi } from "../adapters/inbound/vapi.ts";
import { loadBusinessCached } from "../admin/businesses.ts";
import { countRejection, recordInbound } from "../core/inbox.ts";
import { AI_PARSERS, processInbound } from "../intake/process-intake.ts";
import type { AppEnv } from "./http.ts";

type AiProvider = "vapi" | "retell" | "bland" | "intake";

const VERIFIERS: Record<AiProvider, (input: VerifyInput) => Promise<boolean>> = {
  vapi: verifyVapi,
  retell: verifyRetell,
  bland: verifyBland,
  intake: verifyIntake,
};

/** The business's own secret for a provider, or the environment's. */
export function providerSecret(config: BusinessConfig, settings: Settings, provider: keyof Settings["secrets"]): string | undefined {
  return config.secrets[provider] ?? settings.secrets[provider];
}

/**
 * POST /webhooks/:business/(vapi|retell|bland|intake): verify on the raw body, store the raw
 * payload under the provider's event id, answer 200, then extract and route in the background
 * (or, with intake left to workers, in a `handoff worker` process).
 */
export function aiWebhookRoutes() {
  const routes = new Hono<AppEnv>();
  routes.post("/:business/:provider{vapi|retell|bland|intake}", async (c) => {
    const { deps } = c.var;
    const provider = c.req.param("provider") as AiProvider;
    const slug = c.req.param("business");
    const business = await loadBusinessCached(deps.db, slug);
    const rawBody = await c.req.text();
    const now = deps.clock.now();

    const secret = providerSecret(business.config, deps.settings, provider);
    const verified = secret ? await VERIFIERS[provider]({ headers: c.req.raw.headers, rawBody, secret, now }) : false;
    if (!verified) {
      await countRejection(deps.db, slug, provider, secret ? "bad signature" : "no secret configured", now);
      throw new AppError("unauthorized", secret ? `The ${provider} signature or secret does not match.` : `No ${provider} secret is configured for ${slug}.`);
    }

    let result;
    try {
      result = AI_PARSERS[provider]!(rawBody);
    } catch (err) {
      // Verified but unreadable: keep the body for support (loses nothing), answer 400 naming why.
      const key = `${provider}:malformed:${sha256Hex(rawBody)}`;
      await recordInbound(deps.db, { businessId: business.id, provider, idempotencyKey: key, rawBody, headers: c.req.raw.headers, status: "malformed", now });
      throw err;
    }
    const id = await recordInbound(deps.db, {
      businessId: business.id,
      provider,
      idempotencyKey: result.idempotencyKey,
      rawBody,
      headers: c.req.raw.headers,
      status: result.kind === "ignored" ? "ignored" : "received",
      now,
    });
    if (!id) return c.json({ ok: true, duplicate: true });
    if (result.kind === "ignored") return c.json({ ok: true, ignored: result.reason });
    // INTAKE_IN_WORKERS: the row stays `received` and a `handoff worker` claims it (docs/workers.md).
    if (!deps.settings.leaveIntakeToWorkers) deps.background.defer(`process ${result.idempotencyKey}`, () => processInbound(deps, id));
    return c.json({ ok: true, id });
  });
  return routes;
}
