import { and, eq } from "drizzle-orm";
import { customerAsks } from "../db/schema/index.ts";
import { askSettings, nextAskField, whyNotAsk, type AskChannel } from "../domain/ask-customer.ts";
import type { AskableField } from "../domain/ask-customer-config.ts";
import { askQuestionText } from "../domain/copy/customer-texts.ts";
import { isQuietHours } from "../domain/business-time.ts";
import { durationMs } from "../domain/duration.ts";
import { missingFields } from "../domain/lead.ts";
import { customerTextSendAt } from "../domain/quiet-hours.ts";
import { askCallTimer, askWaitTimer } from "../domain/timers/index.ts";
import { textCustomer } from "../messaging/notify.ts";
import { optOutOf } from "../messaging/opt-outs.ts";
import type { Deps } from "../core/deps.ts";
import { lockLeadIfExists } from "../core/lead-lock.ts";
import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import { recordEvent, scheduleTimer, transact, type Work } from "../core/transact.ts";
import { noteIncomplete, scheduleIncompleteTimer } from "./incomplete.ts";

/** A lead's ask as stored (customer_asks). */
export type AskRow = typeof customerAsks.$inferSelect;

/**
 * Asking the caller for what is missing (CONTRACT §15), the conversation half: an incomplete lead
 * that stays with intake asks its caller first, one field per text, and intake is told only when
 * the caller cannot be asked, the question is held by quiet hours, the answers run out or do not
 * fit, or (escalation/ask-timers.ts) `waitFor` passes. The reply itself arrives as any customer
 * text (intake/customer-sms.ts) with `reply` set, and is recorded by recordAnswers.
 */
export async function askOrTellIntake(
  work: Work,
  business: BusinessRow,
  lead: LeadRow,
  missing: string[],
  ask: AskRow | null,
  reply: boolean,
): Promise<void> {
  if (!ask) return startAsk(work, business, lead, missing);
  if (ask.status !== "open") return noteIncomplete(work, business, lead, missing);
  // Another intake of the same lead (a second webhook, an edit) while the caller is asked: the
  // conversation goes on, and the wait decides when intake hears.
  if (!reply) return;
  const settings = askSettings(business.config);
  if (ask.channel === "voice") return endAsk(work, business, lead, ask, missing, "the callback ended without completing the record");
  if (!missing.includes(ask.field)) {
    const next = nextAskField(settings.fields, missing, ask.askedFields);
    if (!next) return endAsk(work, business, lead, ask, missing, "nothing left the caller can be asked");
    if (ask.askedFields.length >= settings.maxQuestions) return endAsk(work, business, lead, ask, missing, `asked ${settings.maxQuestions} questions`);
    await work.tx
      .update(customerAsks)
      .set({ field: next, reasked: false, askedFields: [...ask.askedFields, next], updatedAt: work.now })
      .where(eq(customerAsks.id, ask.id));
    await sendQuestion(work, business, lead, ask.phone, next, false, work.now);
    return;
  }
  if (ask.reasked) return endAsk(work, business, lead, ask, missing, "the answer did not fit, twice");
  await work.tx.update(customerAsks).set({ reasked: true, updatedAt: work.now }).where(eq(customerAsks.id, ask.id));
  await sendQuestion(work, business, lead, ask.phone, ask.field as AskableField, true, work.now);
}

/** The lead's ask, whatever its status, under the lead's lock (the caller holds it). */
export async function askOf(work: Work, leadId: string): Promise<AskRow | null> {
  const [row] = await work.tx.select().from(customerAsks).where(eq(customerAsks.leadId, leadId));
  return row ?? null;
}

/**
 * Records `answered` for each asked field the record now holds (once each), with where its value
 * came from; returns the ask as updated. Run before routing, so the history reads question,
 * answer, offer. Only the caller's own reply (`byCaller`) answers: a field intake filled
 * meanwhile (PATCH, another webhook) is marked settled without an `answered` event, so the
 * count of records completed by their callers stays honest.
 */
export async function recordAnswers(work: Work, lead: LeadRow, ask: AskRow, missing: string[], byCaller: boolean): Promise<AskRow> {
  const fresh = ask.askedFields.filter((f) => !ask.answeredFields.includes(f) && !missing.includes(f));
  if (fresh.length === 0) return ask;
  for (const field of byCaller ? fresh : []) {
    await recordEvent(work, lead.id, "answered", "customer", {
      field,
      source: lead.fieldSources[field as keyof LeadRow["fieldSources"]] ?? null,
      channel: ask.channel,
    });
  }
  const answeredFields = [...ask.answeredFields, ...fresh];
  await work.tx.update(customerAsks).set({ answeredFields, updatedAt: work.now }).where(eq(customerAsks.id, ask.id));
  return { ...ask, answeredFields };
}

/** The conversation is over because the lead left intake (offered): nothing more is asked. */
export async function closeAsk(work: Work, ask: AskRow, reason: string): Promise<void> {
  if (ask.status !== "open") return;
  await work.tx
    .update(customerAsks)
    .set({ status: "closed", closedReason: reason, updatedAt: work.now })
    .where(and(eq(customerAsks.id, ask.id), eq(customerAsks.status, "open")));
}

/**
 * The conversation ends with the record still incomplete: intake is told what is missing and
 * why asking ended, unless it was told already (the question was held by quiet hours).
 */
export async function endAsk(work: Work, business: BusinessRow, lead: LeadRow, ask: AskRow, missing: string[], reason: string): Promise<void> {
  await closeAsk(work, ask, reason);
  if (!ask.intakeToldAt) await noteIncomplete(work, business, lead, missing, reason);
}

/** The first question, or intake at once when the caller cannot be asked. */
async function startAsk(work: Work, business: BusinessRow, lead: LeadRow, missing: string[]): Promise<void> {
  const settings = askSettings(business.config);
  const why = whyNotAsk(lead, settings, missing) ?? ((await optOutOf(work.tx, business.id, lead.phone!))?.optedOut ? "the caller opted out of texts" : null);
  // Off is today's behaviour, word for word; the other reasons are worth a line in the history.
  if (why) return noteIncomplete(work, business, lead, missing, settings.enabled ? `not asked: ${why}` : undefined);
  const first = nextAskField(settings.fields, missing)!;
  // Nobody is rung at night: in quiet hours a callback business texts (the text waits for morning).
  const channel: AskChannel = settings.callWith && !isQuietHours(business.config, work.now) ? "voice" : "sms";
  // A callback asks every askable field at once; texts ask one at a time.
  const askedFields = channel === "voice" ? settings.fields.filter((f) => missing.includes(f)) : [first];
  const [ask] = await work.tx
    .insert(customerAsks)
    .values({ leadId: lead.id, businessId: business.id, phone: lead.phone!, channel, field: first, askedFields, createdAt: work.now, updatedAt: work.now })
    .onConflictDoNothing({ target: customerAsks.leadId })
    .returning();
  if (!ask) return;
  // completeWithin still counts from the lead's creation, whoever completes it.
  await scheduleIncompleteTimer(work, business, lead);
  if (channel === "voice") {
    await scheduleTimer(work, { businessId: business.id, leadId: lead.id, kind: "ask-call", dueAt: work.now, key: askCallTimer.key({ askId: ask.id }), payload: { askId: ask.id } });
  } else {
    const heldUntil = await sendQuestion(work, business, lead, ask.phone, first, false, null);
    if (heldUntil) {
      // The question waits for morning; intake should not.
      await work.tx.update(customerAsks).set({ intakeToldAt: work.now }).where(eq(customerAsks.id, ask.id));
      return noteIncomplete(work, business, lead, missing, "the question waits for quiet hours to end");
    }
  }
  await scheduleTimer(work, {
    businessId: business.id,
    leadId: lead.id,
    kind: "ask-wait",
    dueAt: new Date(work.now.getTime() + durationMs(settings.waitFor)),
    key: askWaitTimer.key({ askId: ask.id }),
    payload: { askId: ask.id },
  });
}

/**
 * Texts the caller one question and records it; returns when the text is held until (quiet
 * hours), or null when it goes now. The first question is no reply to the caller's own contact:
 * it waits out quiet hours like any later text (CONTRACT §9), so it is queued with
 * `lastContactAt` null. A question after an answer replies to the text just received
 * (`lastContactAt` now), so a caller answering at night is not left waiting for morning.
 */
export async function sendQuestion(
  work: Work,
  business: BusinessRow,
  lead: LeadRow,
  phone: string,
  field: AskableField,
  again: boolean,
  lastContactAt: Date | null,
): Promise<Date | null> {
  await textCustomer(work, business, {
    leadId: lead.id,
    to: phone,
    body: askQuestionText({ businessName: business.config.name, problem: lead.serviceType, field, again }),
    purpose: "ask",
    // One question per field and attempt: a replayed reply cannot ask twice.
    key: `ask:${lead.id}:${field}${again ? ":again" : ""}`,
    lastContactAt,
  });
  const heldUntil = customerTextSendAt(business.config, work.now, lastContactAt);
  await recordEvent(work, lead.id, "asked", "system", {
    field,
    channel: "sms",
    ...(again && { again: true }),
    ...(heldUntil && { heldUntil: heldUntil.toISOString() }),
  });
  return heldUntil;
}

/**
 * The caller texted STOP (CONTRACT §5): nothing more is asked of them, and each lead they were
 * being asked about goes to intake at once.
 */
export async function endAsksOfNumber(deps: Deps, business: BusinessRow, phone: string, keyword: string): Promise<void> {
  await transact(deps, async (work) => {
    const open = await work.tx
      .select({ leadId: customerAsks.leadId })
      .from(customerAsks)
      .where(and(eq(customerAsks.businessId, business.id), eq(customerAsks.phone, phone), eq(customerAsks.status, "open")));
    for (const { leadId } of open) {
      const found = await lockLeadIfExists(work, leadId);
      const ask = found ? await askOf(work, leadId) : null;
      if (!found || !ask || ask.status !== "open") continue;
      const reason = `the caller texted ${keyword}`;
      if (found.lead.state !== "intake") await closeAsk(work, ask, reason);
      else await endAsk(work, found.business, found.lead, ask, missingFields(fieldsOf(found.lead)), reason);
    }
  });
}
