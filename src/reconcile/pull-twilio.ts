import { encodeTwilioForm } from "../adapters/inbound/twilio.ts";
import { twilioLogs, type TwilioCall } from "../adapters/reconcile/twilio-logs.ts";
import { runOnce, type InboundEvent } from "../core/inbox-once.ts";
import { MISSED_DIAL_STATUSES, recoverMissedCall } from "../intake/missed-call.ts";
import { knownKeys, pulledHeaders, type PullContext } from "./pull-context.ts";
import { receiveText } from "./text-arrival.ts";

/** Twilio call statuses of a call that is over. */
const OVER = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);

/**
 * Twilio: the inbound calls to each business number since, and the texts. A forwarded call ends
 * `completed` whatever happened; its `<Dial>` leg (a child listed by ParentCallSid) says whether
 * anyone answered. So a call is missed when its child leg was not answered, and also when it has
 * no child and no webhook of ours ever saw it (the gateway could not answer, so nobody was rung).
 * Each goes in under the webhook's own key (`twilio:dial:` / `twilio:voice:`), texts under
 * `twilio:sms:`, so a webhook arriving later changes nothing.
 */
export async function pullTwilio(ctx: PullContext): Promise<void> {
  const logs = (ctx.twilioLogs ?? twilioLogs)(ctx.plan.twilio!);
  for (const number of ctx.plan.numbers ?? []) {
    const calls = (await ctx.call(() => logs.inboundCalls(number, ctx.since))).filter((c) => OVER.has(c.status));
    ctx.counts.seen += calls.length;
    const known = await knownKeys(ctx, calls.flatMap((c) => [`twilio:dial:${c.sid}`, `twilio:voice:${c.sid}`]));
    for (const call of calls) {
      if (known.has(`twilio:dial:${call.sid}`)) continue;
      const missed = await missedBy(ctx, call, known.has(`twilio:voice:${call.sid}`), () => ctx.call(() => logs.childCalls(call.sid)));
      if (missed && (await recover(ctx, call, missed))) ctx.counts.recovered++;
    }

    const texts = await ctx.call(() => logs.inboundMessages(number, ctx.since));
    ctx.counts.seen += texts.length;
    const knownTexts = await knownKeys(ctx, texts.map((m) => `twilio:sms:${m.sid}`));
    for (const text of texts) {
      if (knownTexts.has(`twilio:sms:${text.sid}`)) continue;
      const form = { MessageSid: text.sid, From: text.from, To: text.to, Body: text.body, NumMedia: text.numMedia };
      const stored = await receiveText(ctx.deps, ctx.business, form, event(ctx, `twilio:sms:${text.sid}`, form));
      if (stored) ctx.counts.recovered++;
    }
  }
}

/** The key and dial status a missed call goes in under, or null when it was answered (or is ours to leave). */
async function missedBy(
  ctx: PullContext,
  call: TwilioCall,
  voiceSeen: boolean,
  children: () => Promise<TwilioCall[]>,
): Promise<{ key: string; dialStatus: string } | null> {
  if (!ctx.business.config.forwardTo) {
    // No number to ring: the voice webhook makes the missed call itself, under its own key.
    return voiceSeen ? null : { key: `twilio:voice:${call.sid}`, dialStatus: "no-forward" };
  }
  const legs = (await children()).sort((a, b) => (a.startTime?.getTime() ?? 0) - (b.startTime?.getTime() ?? 0));
  const last = legs.at(-1);
  if (last) return MISSED_DIAL_STATUSES.has(last.status) ? { key: `twilio:dial:${call.sid}`, dialStatus: last.status } : null;
  // No leg at all: if our voice webhook answered, the caller left before the forward rang.
  return voiceSeen ? null : { key: `twilio:dial:${call.sid}`, dialStatus: "unanswered" };
}

async function recover(ctx: PullContext, call: TwilioCall, missed: { key: string; dialStatus: string }): Promise<boolean> {
  const form = { CallSid: call.sid, From: call.from, To: call.to, CallStatus: call.status, DialCallStatus: missed.dialStatus };
  const { fresh } = await runOnce(ctx.deps, event(ctx, missed.key, form), () =>
    recoverMissedCall(ctx.deps, {
      business: ctx.business,
      callSid: call.sid,
      from: call.from,
      dialStatus: missed.dialStatus,
      at: call.startTime ?? undefined,
      recoveredFrom: "twilio",
    }),
  );
  return fresh;
}

/** The stored event for a call or text reconciliation found: the form its webhook would have posted. */
function event(ctx: PullContext, key: string, form: Record<string, string>): InboundEvent {
  return {
    businessId: ctx.business.id,
    provider: "twilio",
    key,
    rawBody: encodeTwilioForm(form),
    headers: pulledHeaders("twilio"),
    now: ctx.deps.clock.now(),
    origin: "reconciliation",
  };
}
