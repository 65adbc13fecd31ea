import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { businesses, optOuts, outboundMessages } from "../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import { escalationCallTwiml } from "../domain/twiml.ts";
import { handleUndeliveredOffer } from "./delivery-status.ts";

const MAX_ATTEMPTS = 5;

/** Calls that put a lead before someone who may accept it take their answer by keypad. */
const KEYPAD_PURPOSES = new Set(["offer", "escalation"]);

/** A send the provider refused for good (opted out, invalid number): not retried. */
export function isPermanentSendError(err: unknown): err is Error & { code?: number | string } {
  return err instanceof Error && (err.name === "SendRejectedError" || (err as { permanent?: boolean }).permanent === true);
}

/**
 * Sends queued outbox rows. Each row is claimed (queued → sending) with a conditional update,
 * so two deliverers, a retried job or a redelivered webhook never send the same row twice.
 */
export async function deliverMessages(deps: Deps, ids: string[]): Promise<void> {
  for (const id of ids) await deliverOne(deps, id);
}

async function deliverOne(deps: Deps, id: string): Promise<void> {
  const { db, clock, messaging, settings } = deps;
  const [message] = await db
    .update(outboundMessages)
    .set({ status: "sending", attempts: sql`${outboundMessages.attempts} + 1`, updatedAt: clock.now() })
    .where(and(eq(outboundMessages.id, id), eq(outboundMessages.status, "queued")))
    .returning();
  if (!message) return;
  const finish = (values: Partial<typeof outboundMessages.$inferInsert>) =>
    db.update(outboundMessages).set({ ...values, updatedAt: clock.now() }).where(eq(outboundMessages.id, id));

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
  try {
    const result = await messaging.send({
      messageId: message.id,
      businessSlug: business.slug,
      to: message.to,
      from: business.config.numbers[0] ?? null,
      channel: message.channel as "sms" | "voice",
      body: message.body,
      twiml,
      statusCallback: base ? `${base}/status` : null,
    });
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
    // A transient failure goes back to the queue; the sweeper retries it, a bounded number of times.
    const attempts = message.attempts;
    await finish({
      status: attempts >= MAX_ATTEMPTS ? "failed" : "queued",
      statusReason: String(err instanceof Error ? err.message : err),
      attempts,
    });
    deps.logger.warn("send failed", { id, attempts, error: String(err) });
    if (attempts >= MAX_ATTEMPTS) await handleUndeliveredOffer(deps, id, "failed", String(err instanceof Error ? err.message : err));
  }
}

/** Retries rows left queued (a crash before sending, a transient failure). Called on a timer. */
export async function sweepOutbox(deps: Deps, olderThanMs = 5_000): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - olderThanMs);
  const rows = await deps.db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(and(inArray(outboundMessages.status, ["queued"]), lt(outboundMessages.updatedAt, cutoff)))
    .orderBy(asc(outboundMessages.createdAt))
    .limit(100);
  await deliverMessages(deps, rows.map((r) => r.id));
  return rows.length;
}
