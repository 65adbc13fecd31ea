import { and, eq, gte, inArray } from "drizzle-orm";
import { leads, outboundMessages } from "../db/schema/index.ts";
import { formatDue } from "../domain/business-time.ts";
import { memberOptedOutNotice } from "../domain/command-replies.ts";
import { nextEscalation } from "../domain/escalation-ladder.ts";
import { leadClass } from "../domain/escalation-policy.ts";
import { missingFields } from "../domain/lead.ts";
import { offerText } from "../domain/offer-text.ts";
import { holders } from "../domain/routing.ts";
import type { Deps } from "../deps.ts";
import { lockLead } from "./lead-lock.ts";
import { memberById, roleOrManager, textMembers } from "./notify.ts";
import { optOutOf } from "./opt-outs.ts";
import { fieldsOf, placeOf, type BusinessRow, type LeadRow } from "./records.ts";
import { queueMessage, recordEvent, scheduleTimer, transact, type Work } from "./transact.ts";

/** Outbox purposes that put a lead in front of someone who must accept it. */
export const OFFER_PURPOSES = ["offer", "escalation"];

type OutboxRow = typeof outboundMessages.$inferSelect;

/** Why an offer did not reach its member: they opted out of texts, or the send failed for good. */
export type UndeliveredCause = "opted_out" | "failed";

// How far along a message is; a late callback ("sent" after "delivered") never moves it back.
const PROGRESS: Record<string, number> = {
  queued: 1, accepted: 1, scheduled: 1, initiated: 1,
  sending: 2, ringing: 2,
  sent: 3, "in-progress": 3, "dry-run": 3,
  delivered: 4, undelivered: 4, failed: 4, read: 5, completed: 4, busy: 4, "no-answer": 4, canceled: 4, suppressed: 4,
};
const progressOf = (status: string) => PROGRESS[status] ?? 0;

/** Statuses that mean the offer never reached the member on that channel. */
const SMS_FAILED = new Set(["failed", "undelivered"]);
// Only a call that could not be placed moves on at once; "no-answer" and "busy" are left to the
// escalation timer, since the member may have read the text that went with the call.
const CALL_FAILED = new Set(["failed"]);

/**
 * A Twilio status callback: records the delivery status on the outbox row with that provider id
 * (ErrorCode as the reason) and, for an offer, on the lead. An offer SMS that failed tries a call
 * to the same member; an offer call that failed escalates. Returns false when no row matched.
 */
export async function recordDeliveryStatus(
  deps: Deps,
  input: { business: BusinessRow; providerId: string; status: string; errorCode: string | null },
): Promise<{ found: boolean }> {
  return transact(deps, async (work) => {
    const [message] = await work.tx
      .select()
      .from(outboundMessages)
      .where(and(eq(outboundMessages.businessId, input.business.id), eq(outboundMessages.providerId, input.providerId)))
      .for("update");
    if (!message) return { found: false };
    const status = input.status.toLowerCase();
    if (progressOf(status) <= progressOf(message.status)) return { found: true };

    const reason = input.errorCode ? `Twilio error ${input.errorCode}` : null;
    await work.tx
      .update(outboundMessages)
      .set({ status, statusReason: reason ?? message.statusReason, updatedAt: work.now })
      .where(eq(outboundMessages.id, message.id));
    if (message.leadId && OFFER_PURPOSES.includes(message.purpose)) {
      await recordEvent(work, message.leadId, "message_status", "provider:twilio", {
        messageId: message.id,
        channel: message.channel,
        memberId: message.memberId,
        status,
        errorCode: input.errorCode,
      });
      const failed = message.channel === "sms" ? SMS_FAILED.has(status) : CALL_FAILED.has(status);
      if (failed) await undeliveredOffer(work, message, "failed", reason ?? status);
    }
    return { found: true };
  });
}

/**
 * Called by the outbox when a send was suppressed or refused for good. For an offer it tries the
 * next channel in its own transaction; anything else is left as recorded.
 */
export async function handleUndeliveredOffer(deps: Deps, messageId: string, cause: UndeliveredCause, why: string): Promise<void> {
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
export async function undeliveredOffer(work: Work, message: OutboxRow, cause: UndeliveredCause, why: string): Promise<void> {
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
        body: spoken(lead.code, message.body),
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
  await escalateAfterFailedCall(work, business, lead, member.id, why);
}

/** The manager hears once per opt-out episode (keyed by when the STOP was recorded). */
async function tellManagerOptedOut(work: Work, business: BusinessRow, member: { id: string; name: string; phone: string }) {
  const optOut = await optOutOf(work.tx, business.id, member.phone);
  const episode = optOut?.updatedAt.getTime() ?? 0;
  const managers = roleOrManager(business.config, "manager").filter((m) => m.id !== member.id);
  await textMembers(work, business, managers, {
    body: memberOptedOutNotice({ memberName: member.name }),
    purpose: "opted-out",
    leadId: null,
    key: `member-opted-out:${business.id}:${member.id}:${episode}`,
  });
}

/**
 * The offer call could not be placed: the lead climbs one rung of the ladder at once instead of
 * waiting out its window. The new holders join `offered_to`, so any of them (or the first owner)
 * may still accept; the first ACCEPT wins.
 */
async function escalateAfterFailedCall(work: Work, business: BusinessRow, lead: LeadRow, failedMember: string, why: string) {
  const config = business.config;
  const fields = fieldsOf(lead);
  const cls = leadClass(fields);
  const step = nextEscalation({ leadClass: cls, level: lead.escalationLevel, config });
  // Nobody else holding the rung's role: the manager stands in, as routing does.
  const excluding = { excluding: lead.offeredTo };
  let targets = step ? holders(config, step.targetRole, excluding) : [];
  if (step && targets.length === 0) targets = holders(config, "manager", excluding);
  if (!step || targets.length === 0) {
    await recordEvent(work, lead.id, "escalation_failed", "system", {
      reason: `offer call to ${failedMember} failed (${why}) and ${step ? `nobody else holds ${step.targetRole}` : "the escalation ladder is exhausted"}`,
    });
    return;
  }
  // The rung is climbed now instead of when the window passes; the ladder goes on from here with
  // the same wake-up the timer's own climb would set (escalate-lead.ts reads level and offeredAt),
  // and the level-0 wake-up still pending finds the lead already past it and does nothing.
  const offeredAt = lead.offeredAt ?? work.now;
  const next = nextEscalation({ leadClass: cls, level: step.level, config });
  const nextDue = next ? new Date(work.now.getTime() + next.dueInMs) : null;
  await work.tx
    .update(leads)
    .set({
      offeredTo: [...lead.offeredTo, ...targets.map((m) => m.id)],
      escalationLevel: step.level,
      ...(nextDue && { nextActionDueAt: nextDue }),
      updatedAt: work.now,
    })
    .where(eq(leads.id, lead.id));
  await recordEvent(work, lead.id, "escalated", "system", {
    level: step.level,
    role: step.targetRole,
    to: targets.map((m) => m.id),
    channels: step.channels,
    class: cls,
    reason: `offer call to ${failedMember} failed (${why})`,
  });
  if (next && nextDue) {
    await scheduleTimer(work, {
      businessId: business.id,
      leadId: lead.id,
      kind: "escalate",
      dueAt: nextDue,
      key: `escalate:${lead.id}:${offeredAt.getTime()}:${step.level}`,
      payload: { level: step.level, offeredAt: offeredAt.toISOString(), class: cls, since: work.now.toISOString() },
    });
  }
  const text = offerText({
    code: lead.code,
    urgency: lead.urgency,
    fullName: lead.fullName,
    phone: lead.phone,
    place: placeOf(lead),
    serviceType: lead.serviceType,
    summaryNotes: lead.summaryNotes,
    promisedNextStep: lead.promisedNextStep,
    due: formatDue(nextDue ?? lead.nextActionDueAt ?? work.now, config.timezone, work.now),
    missingFields: missingFields(fields),
    heading: "ESCALATED",
  });
  for (const member of targets) {
    for (const channel of step.channels) {
      await queueMessage(work, {
        businessId: business.id,
        leadId: lead.id,
        memberId: member.id,
        to: member.phone,
        channel,
        body: channel === "sms" ? text : spoken(lead.code, text),
        purpose: "escalation",
        key: `call-failed-escalation:${lead.id}:${step.level}:${member.id}:${channel}`,
      });
    }
  }
}

/** An offer text as a call says it: the code digit by digit, without the reply instructions. */
export function spoken(code: number, smsText: string): string {
  const facts = smsText.replace(/^Handoff lead [\d ]+\.\s*/, "").replace(/\s*Reply ACCEPT.*$/s, "");
  return `Handoff lead ${String(code).split("").join(" ")}. ${facts}`;
}
