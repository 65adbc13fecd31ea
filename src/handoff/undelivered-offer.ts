import { and, eq, gte, inArray } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { lockLead } from "../core/lead-lock.ts";
import type { BusinessRow } from "../core/records.ts";
import { queueMessage, recordEvent, transact, type Work } from "../core/transact.ts";
import { outboundMessages } from "../db/schema/index.ts";
import { memberOptedOutNotice } from "../domain/copy/team-notices.ts";
import { climbOneRung } from "../escalation/escalate-offer.ts";
import type { DeliveryOutcome } from "../messaging/deliver-message.ts";
import { applyDeliveryStatus, OFFER_PURPOSES, type OutboxRow } from "../messaging/delivery-status.ts";
import { memberById, roleOrManager, textMembers } from "../messaging/notify.ts";
import { optOutOf } from "../messaging/opt-outs.ts";
import { spokenOffer } from "../domain/copy/voice.ts";

/** Why an offer did not reach its member: they opted out of texts, or the send failed for good. */
export type UndeliveredCause = "opted_out" | "failed";

/**
 * A Twilio status callback: the status goes on the outbox row and, for an offer, on the lead. An
 * offer SMS that failed tries a call to the same member; an offer call that failed escalates.
 * `found` is false when no row matched.
 */
export async function recordDeliveryStatus(
  deps: Deps,
  input: { business: BusinessRow; providerId: string; status: string; errorCode: string | null },
): Promise<{ found: boolean }> {
  return transact(deps, async (work) => {
    const applied = await applyDeliveryStatus(work, input);
    if (applied === "unknown") return { found: false };
    if (applied === "stale") return { found: true };
    const { message, status, reason, failed } = applied;
    if (message.leadId && OFFER_PURPOSES.includes(message.purpose)) {
      await recordEvent(work, message.leadId, "message_status", "provider:twilio", {
        messageId: message.id,
        channel: message.channel,
        memberId: message.memberId,
        status,
        errorCode: input.errorCode,
      });
      if (failed) await undeliveredOffer(work, message, "failed", reason ?? status);
    }
    return { found: true };
  });
}

/**
 * What follows a send, given its outcome: a send suppressed, refused for good or out of attempts
 * tries an offer's next channel in its own transaction; anything else is left as recorded.
 */
export async function afterDelivery(deps: Deps, messageId: string, outcome: DeliveryOutcome): Promise<void> {
  if (outcome.kind === "rejected") await handleUndeliveredOffer(deps, messageId, outcome.cause === "opted_out" ? "opted_out" : "failed", outcome.reason);
  if (outcome.kind === "dead") await handleUndeliveredOffer(deps, messageId, "failed", outcome.reason);
}

async function handleUndeliveredOffer(deps: Deps, messageId: string, cause: UndeliveredCause, why: string): Promise<void> {
  try {
    await transact(deps, async (work) => {
      const [message] = await work.tx.select().from(outboundMessages).where(eq(outboundMessages.id, messageId));
      if (message && OFFER_PURPOSES.includes(message.purpose)) await undeliveredOffer(work, message, cause, why);
    });
  } catch (err) {
    // The outbox row already says what happened; the escalation timer still guards the lead.
    deps.logger.error("next channel for an undelivered offer failed", { messageId, error: String(err) });
  }
}

/**
 * An offer that did not reach its member: a text is followed by a call to the same member (an
 * opted-out member is reached by voice, and the manager is told once per STOP); a call that
 * failed escalates to the class's next rung. Does nothing once the lead has moved on.
 */
async function undeliveredOffer(work: Work, message: OutboxRow, cause: UndeliveredCause, why: string): Promise<void> {
  if (!message.leadId || !message.memberId) return;
  const { lead, business } = await lockLead(work, message.leadId);
  if (lead.state !== "offered" || !lead.offeredTo.includes(message.memberId)) return;
  const member = memberById(business.config, message.memberId);
  if (!member) return;

  if (message.channel === "sms") {
    // Urgent offers already ring as well as text: one call per member per offer is enough.
    const [call] = await work.tx
      .select({ id: outboundMessages.id })
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.leadId, lead.id),
          eq(outboundMessages.memberId, member.id),
          eq(outboundMessages.channel, "voice"),
          inArray(outboundMessages.purpose, OFFER_PURPOSES),
          gte(outboundMessages.createdAt, lead.offeredAt ?? lead.createdAt),
        ),
      )
      .limit(1);
    if (!call) {
      await queueMessage(work, {
        businessId: business.id,
        leadId: lead.id,
        memberId: member.id,
        to: member.phone,
        channel: "voice",
        body: spokenOffer(lead.code, message.body),
        purpose: message.purpose,
        key: `offer-fallback:${message.id}:voice`,
      });
    }
    await recordEvent(work, lead.id, "offer_fallback", "system", {
      memberId: member.id, from: "sms", to: "voice", cause, reason: why, callAlreadyQueued: Boolean(call),
    });
    if (cause === "opted_out") await tellManagerOptedOut(work, business, member);
    return;
  }
  await climbOneRung(work, business, lead, `offer call to ${member.id} failed (${why})`);
}

/** The manager hears once per opt-out episode (keyed by when the STOP was recorded). */
async function tellManagerOptedOut(work: Work, business: BusinessRow, member: { id: string; name: string; phone: string }) {
  const optOut = await optOutOf(work.tx, business.id, member.phone);
  const episode = optOut?.updatedAt.getTime() ?? 0;
  const managers = roleOrManager(business.config, "manager", work.now).filter((m) => m.id !== member.id);
  await textMembers(work, business, managers, {
    body: memberOptedOutNotice({ memberName: member.name }),
    purpose: "opted-out",
    leadId: null,
    key: `member-opted-out:${business.id}:${member.id}:${episode}`,
  });
}
