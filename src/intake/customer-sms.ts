import { and, eq, gt, isNull, or } from "drizzle-orm";
import { businesses, outboundMessages } from "../db/schema/index.ts";
import { autoReplyText, customerTextNote } from "../domain/copy/customer-texts.ts";
import { customerReplyNotice } from "../domain/copy/team-notices.ts";
import { toE164 } from "../domain/phone.ts";
import type { Deps } from "../core/deps.ts";
import { readTwilioForm } from "../adapters/inbound/twilio.ts";
import type { IntakeEvent } from "../adapters/inbound/intake-event.ts";
import { runClaimed } from "../core/inbox-runner.ts";
import { memberById, textCustomer, textMembers } from "../messaging/notify.ts";
import { optChangeOf } from "../messaging/opt-outs.ts";
import { openQuestionTo, withExpectedAnswer } from "./ask-reply.ts";
import { extractFields } from "./extract-fields.ts";
import { receiveLeadIn } from "./receive-lead.ts";
import { recoveredNote } from "./recovered-note.ts";
import type { BusinessRow } from "../core/records.ts";
import { transact } from "../core/transact.ts";

/** A number with no open lead hears back automatically at most this often. */
export const AUTO_REPLY_EVERY_MS = 5 * 60_000;

/** What a stored customer text says. */
export interface CustomerText {
  business: BusinessRow;
  /** The sender, E.164. */
  phone: string;
  text: string;
  messageSid: string;
  /** When the text reached us (the stored webhook's time); default now. */
  receivedAt?: Date;
  /** Set when reconciliation found the text at Twilio's API: its webhook never came. */
  recoveredFrom?: string;
}

/**
 * Processes a stored customer text (an inbound_events row) after the 2xx: extraction may call an
 * LLM, which is slow work (CONTRACT §4). Safe to run again for the same row: the lead is found by
 * the sender's phone and the text is merged once; the notices are keyed by the MessageSid. Given
 * any other Twilio row (a command or a STOP, which the webhook handles inline), it closes the row
 * without acting, so an inbox sweep may hand it every Twilio row.
 */
export async function processCustomerText(deps: Deps, inboundId: string): Promise<void> {
  await runClaimed(deps, inboundId, async (row, now) => {
    const params = readTwilioForm(row.rawBody);
    const phone = toE164(params.From ?? "");
    const [business] = row.businessId ? await deps.db.select().from(businesses).where(eq(businesses.id, row.businessId)) : [];
    const skip = notACustomerText(row.idempotencyKey, business, phone, params);
    if (skip) return { status: "processed", error: skip, now };
    const leadId = await receiveCustomerText(deps, { business: business!, phone: phone!, text: params.Body ?? "", messageSid: params.MessageSid ?? row.id, receivedAt: row.receivedAt, recoveredFrom: row.origin === "reconciliation" ? "twilio" : undefined });
    return { status: "processed", leadId };
  });
}

/** Why a stored Twilio row is not a customer's text to process, or null when it is one. */
function notACustomerText(key: string, business: BusinessRow | undefined, phone: string | null, params: Record<string, string>): string | null {
  if (!key.includes("twilio:sms:")) return "not a text message";
  if (!business) return "business no longer exists";
  if (!phone) return `sender "${params.From ?? ""}" is not a phone number`;
  const command = business.config.team.some((m) => m.phone === phone);
  const consent = params.OptOutType || optChangeOf(undefined, params.Body ?? "")?.optedOut;
  return command || consent ? "a command or consent keyword, handled by the webhook" : null;
}

/**
 * A customer's text becomes part of their open lead (notes, history, extraction re-run on it, the
 * owner told) or, with no open lead, a new lead on channel twilio_sms. A reply to a missed-call
 * text-back thereby fills the missed-call lead and may complete it; a reply to a question the
 * gateway asked fills the field asked and lets the conversation go on. Returns the lead's id.
 */
export async function receiveCustomerText(deps: Deps, input: CustomerText): Promise<string> {
  const { business, phone, text, messageSid } = input;
  const event: IntakeEvent = {
    channel: "twilio_sms",
    externalId: messageSid,
    callerPhone: phone,
    // Labelled as the customer's words, so extraction reads them as the caller's side.
    transcript: `Customer: ${text}`,
    summary: null,
    structuredData: {},
    fields: { summaryNotes: customerTextNote(text) },
    source: null,
    startedAt: deps.clock.now(),
    endedAt: deps.clock.now(),
    recordingUrl: null,
    connected: true,
  };
  const extracted = await extractFields(deps, business.config, event);
  // A reply to the gateway's question (CONTRACT §15) goes to the lead asked about, read with the
  // question's field as the expected one.
  const question = await openQuestionTo(deps.db, business.id, phone);
  const { fields, sources } = question ? withExpectedAnswer(extracted, question, text) : extracted;
  const notes = extracted.notes;
  // One transaction: the lead and what follows from the text (the owner's notice, the auto-reply)
  // commit together, so a crash in between cannot lose the reply.
  return transact(deps, async (work) => {
    const { lead, created, replayed } = await receiveLeadIn(work, {
      business,
      fields,
      sources,
      channel: "twilio_sms",
      actor: "provider:twilio",
      externalId: messageSid,
      transcript: event.transcript,
      answersAskOf: question?.leadId ?? null,
      notes: [
        { type: "customer_message", detail: { messageSid, from: phone, text } },
        ...(input.recoveredFrom ? [recoveredNote(input.recoveredFrom, messageSid)] : []),
        ...notes,
      ],
    });
    // Already recorded, follow-ups included: this is the same text processed again.
    if (replayed) return lead.id;
    const owner = memberById(business.config, lead.ownerId);
    // Only an owner who had the lead before this text is told; a lead this very text completed
    // was just offered, and the offer already carries the text.
    const ownedBefore = lead.offeredAt !== null && lead.offeredAt.getTime() < work.now.getTime();
    if (!created && ownedBefore && owner && (lead.state === "offered" || lead.state === "accepted")) {
      await textMembers(work, business, [owner], {
        body: customerReplyNotice({ code: lead.code, customerName: lead.fullName, customerPhone: lead.phone, text }),
        purpose: "customer-reply",
        leadId: lead.id,
        key: `customer-reply:${business.id}:${messageSid}`,
      });
    }
    if (!created) return lead.id;
    // A number we knew nothing about hears that the text arrived, but never more than once per
    // AUTO_REPLY_EVERY_MS, so two auto-responders cannot keep each other talking. A question
    // about the new lead (CONTRACT §15) sent now already answers the text: one text back, not two.
    const [recent] = await work.tx
      .select({ id: outboundMessages.id })
      .from(outboundMessages)
      .where(
        or(
          and(
            eq(outboundMessages.businessId, business.id),
            eq(outboundMessages.to, phone),
            eq(outboundMessages.purpose, "auto-reply"),
            gt(outboundMessages.createdAt, new Date(work.now.getTime() - AUTO_REPLY_EVERY_MS)),
          ),
          and(eq(outboundMessages.leadId, lead.id), eq(outboundMessages.purpose, "ask"), isNull(outboundMessages.sendAfter)),
        ),
      )
      .limit(1);
    if (recent) return lead.id;
    // An answer to their own text: sent at once even at night, if the text is recent (quiet hours).
    await textCustomer(work, business, {
      leadId: lead.id,
      to: phone,
      body: autoReplyText(business.config.name),
      purpose: "auto-reply",
      key: `auto-reply:${business.id}:${messageSid}`,
      lastContactAt: input.receivedAt ?? work.now,
    });
    return lead.id;
  });
}
