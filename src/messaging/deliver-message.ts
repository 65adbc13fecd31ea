import type { Deps } from "../core/deps.ts";
import { claimMessage, SEND_LEASE_MS, stillClaimed } from "../core/outbox-claim.ts";
import { SendRejectedError, SendUnavailableError } from "../adapters/messaging/messaging.ts";
import { escalationCallTwiml } from "../adapters/messaging/twiml.ts";
import { optOuts, outboundMessages } from "../db/schema/index.ts";
import { OFFER_PURPOSES } from "./delivery-status.ts";

const MAX_ATTEMPTS = 5;

/**
 * What one send came to. The durable state is the outbox row, already updated when this is
 * returned; the outcome only tells the caller what to do next (another channel, an escalation).
 */
export type DeliveryOutcome =
  /** Handed to the provider, or found there after an abandoned send. */
  | { kind: "delivered"; status: string }
  /** Nothing sent by this call: another sender holds the row, it is done, or its business is gone. */
  | { kind: "skipped"; reason: string }
  /** Refused for good (opted out, invalid number): never retried. */
  | { kind: "rejected"; cause: "opted_out" | "refused"; reason: string }
  /** A transient failure: the outbox sweep tries the row again. */
  | { kind: "retry"; reason: string }
  /** Out of attempts: the row is failed. */
  | { kind: "dead"; reason: string };

/**
 * Sends one outbox row. It is claimed (queued → sending) under a lease, so two deliverers, a
 * retried job or a redelivered webhook never send the same row twice, and a row whose sender
 * died mid-send is taken over once its lease runs out (see outbox-claim.ts).
 */
export async function deliverMessage(
  deps: Pick<Deps, "db" | "clock" | "messaging" | "settings" | "logger">,
  id: string,
  leaseMs = SEND_LEASE_MS,
): Promise<DeliveryOutcome> {
  const { db, clock, messaging, settings } = deps;
  const claim = await claimMessage(db, id, clock.now(), leaseMs);
  if (!claim) return { kind: "skipped", reason: "not claimable" };
  const { message } = claim;
  // Only while this claim holds the row: a sender overtaken after its lease ran out records nothing.
  const finish = (values: Partial<typeof outboundMessages.$inferInsert>) =>
    db.update(outboundMessages).set({ lockedUntil: null, ...values, updatedAt: clock.now() }).where(stillClaimed(message));

  const { business, optOut } = claim;
  if (!business) {
    await finish({ status: "failed", statusReason: "business no longer exists" });
    return { kind: "skipped", reason: "business no longer exists" };
  }
  if (message.channel === "sms" && optOut?.optedOut) {
    const reason = `recipient opted out (${optOut.keyword})`;
    await finish({ status: "suppressed", statusReason: reason });
    return { kind: "rejected", cause: "opted_out", reason };
  }

  const base = settings.publicUrl ? `${settings.publicUrl}/webhooks/${business.slug}/twilio` : null;
  // A call about a lead offered to a member takes their answer by keypad (1 accept, 2 reject).
  const twiml =
    message.channel === "voice" && base && message.leadId && message.memberId && OFFER_PURPOSES.includes(message.purpose)
      ? escalationCallTwiml({
          text: message.body,
          gatherActionUrl: `${base}/gather?${new URLSearchParams({ lead: message.leadId, member: message.memberId })}`,
        })
      : undefined;
  const send = {
    messageId: message.id,
    businessSlug: business.slug,
    to: message.to,
    from: business.config.numbers[0] ?? null,
    channel: message.channel,
    body: message.body,
    twiml,
    statusCallback: base ? `${base}/status` : null,
  };
  try {
    // A sender died between the provider's answer and our update: ask before sending again.
    const already = claim.takenOver && messaging.lookup ? await messaging.lookup(send, claim.abandonedSince ?? message.createdAt) : null;
    if (already) {
      deps.logger.info("abandoned send found at the provider; not sent again", { id, providerId: already.providerId });
      await finish({ status: already.status, providerId: already.providerId, sentAt: clock.now(), statusReason: "found at the provider after an abandoned send" });
      return { kind: "delivered", status: already.status };
    }
    const result = await messaging.send(send);
    await finish({ status: result.status, providerId: result.providerId, sentAt: clock.now() });
    return { kind: "delivered", status: result.status };
  } catch (err) {
    if (err instanceof SendRejectedError) {
      if (err.optedOut) {
        // The provider knows of a STOP we never saw: remember it, so nothing is texted there again.
        await db
          .insert(optOuts)
          .values({ businessId: message.businessId, phone: message.to, optedOut: true, keyword: "STOP (Twilio 21610)", updatedAt: clock.now() })
          .onConflictDoUpdate({ target: [optOuts.businessId, optOuts.phone], set: { optedOut: true, keyword: "STOP (Twilio 21610)", updatedAt: clock.now() } });
        await finish({ status: "suppressed", statusReason: `recipient opted out: ${err.message}` });
        return { kind: "rejected", cause: "opted_out", reason: err.message };
      }
      await finish({ status: "failed", statusReason: err.message });
      return { kind: "rejected", cause: "refused", reason: err.message };
    }
    // A transient failure is retried by the sweeper, a bounded number of times. When the provider
    // answered (429/5xx after retries) nothing was sent and the row goes back to the queue; when it
    // did not (network error, timeout) it may have the message, so the row stays `sending` with an
    // ended lease: the next claim is a takeover and looks the message up before sending again.
    const attempts = message.attempts;
    const answered = err instanceof SendUnavailableError;
    const reason = String(err instanceof Error ? err.message : err);
    await finish({
      status: attempts >= MAX_ATTEMPTS ? "failed" : answered ? "queued" : "sending",
      lockedUntil: answered ? null : clock.now(),
      statusReason: reason,
    });
    deps.logger.warn("send failed", { id, attempts, error: String(err) });
    return attempts >= MAX_ATTEMPTS ? { kind: "dead", reason } : { kind: "retry", reason };
  }
}
