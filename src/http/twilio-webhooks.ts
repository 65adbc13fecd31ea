import { Hono, type Context } from "hono";
import twilio from "twilio";
import { sha256Hex } from "../adapters/inbound/crypto.ts";
import { parseTwilioForm, publicWebhookUrl, verifyTwilioSignature } from "../adapters/inbound/twilio.ts";
import { gatherResultTwiml, hangupTwiml, sayTwiml } from "../adapters/messaging/twiml.ts";
import { loadBusinessCached } from "../admin/businesses.ts";
import type { Deps } from "../core/deps.ts";
import { countRejection, recordInbound } from "../core/inbox.ts";
import { runOnce, type InboundEvent } from "../core/inbox-once.ts";
import type { BusinessRow } from "../core/records.ts";
import { keypadSays, VOICEMAIL_THANKS } from "../domain/copy/voice.ts";
import { cleanJson } from "../domain/storable-text.ts";
import { AppError } from "../errors.ts";
import { recordDeliveryStatus } from "../handoff/undelivered-offer.ts";
import { answerKeypress } from "../handoff/voice-answer.ts";
import { inboundCallTwiml, missedCallAnswer, MISSED_DIAL_STATUSES, recordVoicemail, recoverMissedCall } from "../intake/missed-call.ts";
import { receiveText } from "../reconcile/text-arrival.ts";
import { validate, type AppEnv } from "./http.ts";
import { FORMS, HOOKS, seconds, type Form, type Hook } from "./twilio-forms.ts";

/** The body Twilio expects when there is nothing to say: replies go through the outbox instead. */
const EMPTY = new twilio.twiml.MessagingResponse().toString();

/**
 * POST /webhooks/:business/twilio/(voice|dial-status|sms|status|gather|voicemail): verify
 * X-Twilio-Signature against the public URL, store the payload under Twilio's id, act once,
 * answer TwiML. A redelivery gets the same kind of answer and changes nothing.
 */
export function twilioWebhookRoutes() {
  const routes = new Hono<AppEnv>();
  // One plain route per hook: a `:hook{voice|…|voicemail}` pattern, mounted next to the AI
  // webhooks' own pattern, let Hono's RegExpRouter hand "/voicemail" to the handler as "voice".
  for (const hook of HOOKS) routes.post(`/:business/twilio/${hook}`, (c) => handle(c, hook));
  return routes;
}

async function handle(c: Context<AppEnv>, hook: Hook): Promise<Response> {
  const { deps } = c.var;
  const business = await loadBusinessCached(deps.db, c.req.param("business") ?? "");
  const rawBody = await c.req.text();
  const params = parseTwilioForm(rawBody);
  const now = deps.clock.now();

  // Twilio signed the URL it requested: PUBLIC_URL when set (behind a proxy or tunnel the local
  // URL differs), else this request's own origin.
  const requested = new URL(c.req.url);
  const base = deps.settings.publicUrl ?? requested.origin;
  const authToken = business.config.secrets.twilioAuthToken ?? deps.settings.secrets.twilioAuthToken;
  const verified = authToken
    ? verifyTwilioSignature({ authToken, url: publicWebhookUrl(base, requested.pathname, requested.search), params, signature: c.req.header("x-twilio-signature") })
    : false;
  if (!verified) {
    await countRejection(deps.db, business.slug, "twilio", authToken ? "bad signature" : "no auth token configured", now);
    throw new AppError("forbidden", authToken ? "The X-Twilio-Signature does not match this URL and body." : `No Twilio auth token is configured for ${business.slug}.`);
  }

  let form;
  try {
    form = validate(FORMS[hook], cleanJson(params), `Twilio ${hook} webhook`);
  } catch (err) {
    // Verified but unusable: kept for support, answered 400 naming what is missing.
    await recordInbound(deps.db, { businessId: business.id, provider: "twilio", idempotencyKey: `twilio:malformed:${sha256Hex(rawBody)}`, rawBody, headers: c.req.raw.headers, status: "malformed", now });
    throw err;
  }
  const ctx: HookContext = { c, deps, business, rawBody, now, webhookBase: publicWebhookUrl(base, `/webhooks/${business.slug}/twilio`) };
  return HANDLERS[hook](ctx, form as never);
}

interface HookContext {
  c: Context<AppEnv>;
  deps: Deps;
  business: BusinessRow;
  rawBody: string;
  now: Date;
  /** The public URL of this business's Twilio webhooks, for TwiML action URLs. */
  webhookBase: string;
}

/** This request as the stored Twilio event under `key`. */
const eventOf = (ctx: HookContext, key: string): InboundEvent => ({
  businessId: ctx.business.id,
  provider: "twilio",
  key,
  rawBody: ctx.rawBody,
  headers: ctx.c.req.raw.headers,
  now: ctx.now,
});

/** Runs `work` once per Twilio event (see runOnce). */
const once = (ctx: HookContext, key: string, work: () => Promise<{ leadId?: string | null; value?: string }>) => runOnce(ctx.deps, eventOf(ctx, key), work);

const xml = (ctx: HookContext, body: string) => ctx.c.body(body, 200, { "content-type": "text/xml; charset=utf-8" });

const HANDLERS: { [H in Hook]: (ctx: HookContext, form: Form<H>) => Promise<Response> } = {
  async voice(ctx, form) {
    const forward = inboundCallTwiml(ctx.business, ctx.webhookBase);
    if (forward) {
      await once(ctx, `twilio:voice:${form.CallSid}`, async () => ({}));
      return xml(ctx, forward);
    }
    // No number to ring: the call is missed the moment it arrives.
    await once(ctx, `twilio:voice:${form.CallSid}`, () =>
      recoverMissedCall(ctx.deps, { business: ctx.business, callSid: form.CallSid, from: form.From, dialStatus: "no-forward" }),
    );
    return xml(ctx, missedCallAnswer(ctx.business, ctx.webhookBase));
  },

  async "dial-status"(ctx, form) {
    const status = form.DialCallStatus.toLowerCase();
    const missed = MISSED_DIAL_STATUSES.has(status);
    await once(ctx, `twilio:dial:${form.CallSid}`, async () =>
      missed ? recoverMissedCall(ctx.deps, { business: ctx.business, callSid: form.CallSid, from: form.From, dialStatus: status }) : {},
    );
    // Answered (completed/answered): the call is over and nothing is owed to anyone.
    return xml(ctx, missed ? missedCallAnswer(ctx.business, ctx.webhookBase) : hangupTwiml());
  },

  async sms(ctx, form) {
    await receiveText(ctx.deps, ctx.business, form, eventOf(ctx, `twilio:sms:${form.MessageSid}`));
    return xml(ctx, EMPTY);
  },

  async status(ctx, form) {
    const providerId = (form.MessageSid || form.CallSid)!;
    const status = (form.MessageStatus || form.CallStatus)!;
    await once(ctx, `twilio:status:${providerId}:${status}`, async () => {
      const { found } = await recordDeliveryStatus(ctx.deps, { business: ctx.business, providerId, status, errorCode: form.ErrorCode || null });
      if (!found) ctx.deps.logger.warn("twilio status for an unknown message", { business: ctx.business.slug, providerId, status });
      return {};
    });
    return xml(ctx, EMPTY);
  },

  async gather(ctx, form) {
    const query = ctx.c.req.query();
    const result = await once(ctx, `twilio:gather:${form.CallSid}:${form.Digits}`, async () => {
      const outcome = await answerKeypress(ctx.deps, {
        business: ctx.business,
        leadId: query.lead,
        memberId: query.member,
        digits: form.Digits,
        callSid: form.CallSid,
      });
      return { leadId: outcome.leadId, value: outcome.spoken };
    });
    return xml(ctx, gatherResultTwiml(result.fresh ? result.value! : keypadSays.repeated()));
  },

  async voicemail(ctx, form) {
    if (form.RecordingUrl) {
      await once(ctx, `twilio:voicemail:${form.CallSid}:${form.RecordingSid || "recording"}`, () =>
        recordVoicemail(ctx.deps, {
          business: ctx.business,
          callSid: form.CallSid,
          recordingUrl: form.RecordingUrl,
          recordingSid: form.RecordingSid,
          durationSeconds: seconds(form.RecordingDuration),
        }),
      );
    }
    return xml(ctx, sayTwiml(VOICEMAIL_THANKS));
  },
};
