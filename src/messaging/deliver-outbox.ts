import { and, asc, eq, isNotNull, lt, ne, or } from "drizzle-orm";
import { businesses, optOuts, outboundMessages } from "../db/schema/index.ts";
import type { Deps } from "../core/deps.ts";
import { escalationCallTwiml } from "../adapters/messaging/twiml.ts";
import { handleUndeliveredOffer } from "../handoff/delivery-status.ts";
import { claimableMessage, claimMessage, SEND_LEASE_MS, stillClaimed } from "../core/outbox-claim.ts";

const MAX_ATTEMPTS = 5;

/** Calls that put a lead before someone who may accept it take their answer by keypad. */
const KEYPAD_PURPOSES = new Set(["offer", "escalation"]);

/** A send the provider refused for good (opted out, invalid number): not retried. */
export function isPermanentSendError(err: unknown): err is Error & { code?: number | string } {
  return err instanceof Error && (err.name === "SendRejectedError" || (err as { permanent?: boolean }).permanent === true);
}

/**
 * Sends outbox rows. Each row is claimed (queued → sending) under a lease, so two deliverers, a
 * retried job or a redelivered webhook never send the same row twice, and a row whose sender
 * died mid-send is taken over once its lease runs out (see outbox-claim.ts).
 */
export async function deliverMessages(deps: Deps, ids: string[], leaseMs = SEND_LEASE_MS): Promise<void> {
  for (const id of ids) await deliverOne(deps, id, leaseMs);
}

async function deliverOne(deps: Deps, id: string, leaseMs: number): Promise<void> {
  const { db, clock, messaging, settings } = deps;
  const claim = await claimMessage(db, id, clock.now(), leaseMs);
  if (!claim) return;
  const { message } = claim;
  // Only while this claim holds the row: a sender overtaken after its lease ran out records nothing.
  const finish = (values: Partial<typeof outboundMessages.$inferInsert>) =>
    db.update(outboundMessages).set({ lockedUntil: null, ...values, updatedAt: clock.now() }).where(stillClaimed(message));

  const [business] = await db.select().from(businesses).where(eq(businesses.id, message.businessId));
  if (!business) return void (await finish({ status: "failed", statusReason: "business no longer exists" }));

  if (message.channel === "sms") {
    const [optOut] = await db
      .select()
      .from(optOuts)
      .where(and(eq(optOuts.businessId, message.businessId), eq(optOuts.phone, message.to)));
    if (optOut?.optedOut) {
      await finish({ status: "suppressed", statusReason: `recipient opted out (${optOut.keyword})` });
      return handleUndeliveredOffer(deps, id, "opted_out", `recipient opted out (${optOut.keyword})`);
    }
  }

  const base = settings.publicUrl ? `${settings.publicUrl}/webhooks/${business.slug}/twilio` : null;
  // A call about a lead offered to a member takes their answer by keypad (1 accept, 2 reject).
  const twiml =
    message.channel === "voice" && base && message.leadId && message.memberId && KEYPAD_PURPOSES.has(message.purpose)
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
    channel: message.channel as "sms" | "voice",
    body: message.body,
    twiml,
    statusCallback: base ? `${base}/status` : null,
  };
  try {
    // A sender died between the provider's answer and our update: ask before sending again.
    const already = claim.takenOver && messaging.lookup ? await messaging.lookup(send, claim.abandonedSince ?? message.createdAt) : null;
    if (already) {
      deps.logger.info("abandoned send found at the provider; not sent again", { id, providerId: already.providerId });
      return void (await finish({ status: already.status, providerId: already.providerId, sentAt: clock.now(), statusReason: "found at the provider after an abandoned send" }));
    }
    const result = await messaging.send(send);
    await finish({ status: result.status, providerId: result.providerId, sentAt: clock.now() });
  } catch (err) {
    if (isPermanentSendError(err)) {
      if ((err as { optedOut?: boolean }).optedOut) {
        // Twilio knows of a STOP we never saw: remember it, so nothing is texted there again.
        await db
          .insert(optOuts)
          .values({ businessId: message.businessId, phone: message.to, optedOut: true, keyword: "STOP (Twilio 21610)", updatedAt: clock.now() })
          .onConflictDoUpdate({ target: [optOuts.businessId, optOuts.phone], set: { optedOut: true, keyword: "STOP (Twilio 21610)", updatedAt: clock.now() } });
        await finish({ status: "suppressed", statusReason: `recipient opted out: ${err.message}` });
        return handleUndeliveredOffer(deps, id, "opted_out", err.message);
      }
      await finish({ status: "failed", statusReason: err.message });
      return handleUndeliveredOffer(deps, id, "failed", err.message);
    }
    // A transient failure is retried by the sweeper, a bounded number of times. When the provider
    // answered (429/5xx after retries) nothing was sent and the row goes back to the queue; when it
    // did not (network error, timeout) it may have the message, so the row stays `sending` with an
    // ended lease: the next claim is a takeover and looks the message up before sending again.
    const attempts = message.attempts;
    const answered = err instanceof Error && err.name === "SendUnavailableError";
    await finish({
      status: attempts >= MAX_ATTEMPTS ? "failed" : answered ? "queued" : "sending",
      lockedUntil: answered ? null : clock.now(),
      statusReason: String(err instanceof Error ? err.message : err),
    });
    deps.logger.warn("send failed", { id, attempts, error: String(err) });
    if (attempts >= MAX_ATTEMPTS) await handleUndeliveredOffer(deps, id, "failed", String(err instanceof Error ? err.message : err));
  }
}

/**
 * Retries what the outbox still owes: rows left queued (a crash before sending, a transient
 * failure), customer texts whose quiet hours are over, and sends whose sender died mid-send
 * (lease expired). Called on a timer (Node) and by the Workers cron.
 */
export async function sweepOutbox(deps: Deps, olderThanMs = 5_000, leaseMs = SEND_LEASE_MS): Promise<number> {
  const now = deps.clock.now();
  // Fresh rows are being sent by the transaction that queued them; leave them a moment.
  const cutoff = new Date(now.getTime() - olderThanMs);
  const rows = await deps.db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(and(claimableMessage(now), or(ne(outboundMessages.status, "queued"), lt(outboundMessages.updatedAt, cutoff), isNotNull(outboundMessages.sendAfter))))
    .orderBy(asc(outboundMessages.createdAt))
    .limit(100);
  await deliverMessages(deps, rows.map((r) => r.id), leaseMs);
  return rows.length;
}
