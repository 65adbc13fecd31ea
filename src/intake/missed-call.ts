import { and, desc, eq, sql } from "drizzle-orm";
import { leadEvents, leads } from "../db/schema/index.ts";
import { missedCallNote, textBackText } from "../domain/copy/customer-texts.ts";
import { formatDueTime } from "../domain/copy/due-time.ts";
import { calledAgainNotice, voicemailNotice } from "../domain/copy/team-notices.ts";
import { forwardCallTwiml, missedCallTwiml } from "../adapters/messaging/twiml.ts";
import { isEmergency } from "../domain/lead.ts";
import { toE164 } from "../domain/phone.ts";
import type { Deps } from "../core/deps.ts";
import { lockLead } from "../core/lead-lock.ts";
import { memberById, textCustomer, textMembers } from "../messaging/notify.ts";
import { receiveLeadIn } from "./receive-lead.ts";
import { recoveredNote } from "./recovered-note.ts";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import { flushHistory, recordEvent, transact, type Work } from "../core/transact.ts";

/** `<Dial>` outcomes that mean nobody at the business took the call (CONTRACT §4). */
export const MISSED_DIAL_STATUSES = new Set(["no-answer", "busy", "failed", "canceled"]);

/**
 * The answer to an inbound call: ring the business's `forwardTo` and report the outcome to
 * dial-status. `webhookBase` is the public URL of this business's Twilio webhooks.
 */
export function inboundCallTwiml(business: BusinessRow, webhookBase: string): string | null {
  const { forwardTo, missedCall } = business.config;
  if (!forwardTo) return null;
  return forwardCallTwiml({ forwardTo, timeoutSeconds: missedCall.dialTimeoutSeconds, actionUrl: `${webhookBase}/dial-status` });
}

/** What a missed caller hears: an apology, the promise of a text, and a voicemail prompt. */
export function missedCallAnswer(business: BusinessRow, webhookBase: string): string {
  return missedCallTwiml({ businessName: business.config.name, recordingActionUrl: `${webhookBase}/voicemail` });
}

/**
 * Missed-call recovery (CONTRACT §6): the caller becomes a lead (or updates their open one) with
 * source missed_call, which routing gives to one named member with the callback due within
 * `missedCall.callbackWithin`; the caller is texted back at once (the outbox suppresses it for an
 * opted-out number). A team member's own missed call is no lead.
 */
export async function recoverMissedCall(
  deps: Deps,
  input: {
    business: BusinessRow;
    callSid: string;
    from: string;
    dialStatus: string;
    /** When the call came in, if not now (a call reconciliation found later). */
    at?: Date;
    /** Set when reconciliation found the call at this provider's API: its webhook never came. */
    recoveredFrom?: string;
  },
): Promise<{ leadId: string | null }> {
  const { business, callSid, dialStatus } = input;
  const config = business.config;
  const phone = toE164(input.from);
  if (phone && config.team.some((m) => m.phone === phone)) return { leadId: null };

  const now = deps.clock.now();
  const when = formatDueTime(input.at ?? now, { timeZone: config.timezone, now });
  const fields = {
    ...(phone && { phone }),
    source: "missed_call",
    summaryNotes: missedCallNote({ phone, when, dialStatus }),
    promisedNextStep: "Call back",
  };
  // One transaction: the lead and the text-back (and the owner's notice) commit together, so a
  // crash in between cannot lose the text-back.
  return transact(deps, async (work) => {
    const { lead, created, replayed } = await receiveLeadIn(work, {
      business,
      fields,
      sources: { ...(phone && { phone: "caller_id" }), source: "gateway", summaryNotes: "gateway", promisedNextStep: "gateway" },
      channel: "twilio_voice",
      actor: "provider:twilio",
      externalId: callSid,
      notes: [
        { type: "missed_call", detail: { callSid, dialStatus, from: input.from } },
        ...(input.recoveredFrom ? [recoveredNote(input.recoveredFrom, callSid)] : []),
      ],
    });
    if (replayed) return { leadId: lead.id };
    if (phone) {
      // The caller has just called: a reply to their own contact, sent at once even at night.
      await textCustomer(work, business, {
        leadId: lead.id,
        to: phone,
        body: textBackText(config.missedCall.textBack, config.name),
        purpose: "text-back",
        // One text-back per lead: a caller who tries three times is not texted three times.
        key: `text-back:${lead.id}`,
        lastContactAt: work.now,
      });
    }
    const owner = memberById(config, lead.ownerId);
    const ownedBefore = lead.offeredAt !== null && lead.offeredAt.getTime() < work.now.getTime();
    if (!created && ownedBefore && owner && (lead.state === "offered" || lead.state === "accepted")) {
      await textMembers(work, business, [owner], {
        body: calledAgainNotice({ code: lead.code, customerName: lead.fullName, customerPhone: phone }),
        purpose: "missed-call",
        leadId: lead.id,
        key: `missed-call:${business.id}:${callSid}`,
        // A callback is non-urgent work unless the lead is urgent: it waits for the owner's hours.
        workingHours: !isEmergency(lead.urgency),
      });
    }
    return { leadId: lead.id };
  });
}

/**
 * The missed caller's voicemail: its URL is stored on the lead the call made (unless the lead
 * already holds a recording, which stays) and in its history, and the owner is told.
 */
export async function recordVoicemail(
  deps: Deps,
  input: { business: BusinessRow; callSid: string; recordingUrl: string; recordingSid: string; durationSeconds: number | null },
): Promise<{ leadId: string | null }> {
  return transact(deps, async (work) => {
    const found = await leadOfCall(work, input.business.id, input.callSid);
    if (!found) return { leadId: null };
    const { lead, business } = await lockLead(work, found.id);
    if (!lead.recordingUrl) {
      await work.tx.update(leads).set({ recordingUrl: input.recordingUrl, updatedAt: work.now }).where(eq(leads.id, lead.id));
    }
    await recordEvent(work, lead.id, "voicemail", "provider:twilio", {
      callSid: input.callSid,
      recordingSid: input.recordingSid,
      recordingUrl: input.recordingUrl,
      durationSeconds: input.durationSeconds,
    });
    const owner = memberById(business.config, lead.ownerId);
    if (owner && (lead.state === "offered" || lead.state === "accepted")) {
      await textMembers(work, business, [owner], {
        body: voicemailNotice({
          code: lead.code,
          customerName: lead.fullName,
          customerPhone: lead.phone,
          durationSeconds: input.durationSeconds,
          recordingUrl: input.recordingUrl,
        }),
        purpose: "voicemail",
        leadId: lead.id,
        key: `voicemail:${business.id}:${input.recordingSid}`,
        workingHours: !isEmergency(lead.urgency),
      });
    }
    return { leadId: lead.id };
  });
}

/** The lead a missed call made or updated, found by the CallSid its `missed_call` event names. */
async function leadOfCall(work: Work, businessId: string, callSid: string): Promise<LeadRow | null> {
  await flushHistory(work);
  const [row] = await work.tx
    .select({ lead: leads })
    .from(leadEvents)
    .innerJoin(leads, eq(leads.id, leadEvents.leadId))
    .where(and(eq(leads.businessId, businessId), eq(leadEvents.type, "missed_call"), sql`${leadEvents.detail}->>'callSid' = ${callSid}`))
    .orderBy(desc(leadEvents.id))
    .limit(1);
  return row?.lead ?? null;
}
