import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { businesses, leadEvents, leads } from "../db/schema/index.ts";
import { durationMs } from "../domain/duration.ts";
import { boundFields, capText } from "../domain/storable-text.ts";
import { mergedText } from "../domain/merge-text.ts";
import { missingFields, type Channel, type FieldSources, type LeadFields } from "../domain/lead.ts";
import type { Deps } from "../core/deps.ts";
import { routeIfReady } from "../routing/route-if-ready.ts";
import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import { recordEvent, transact, type Work } from "../core/transact.ts";

/** One intake of a lead, from any channel: the API, a provider webhook, an SMS, a missed call. */
export interface LeadIntake {
  business: BusinessRow;
  fields: Partial<LeadFields>;
  /** Which source produced each given field. */
  sources: FieldSources;
  channel: Channel;
  actor: string;
  externalId?: string | null;
  transcript?: string | null;
  recordingUrl?: string | null;
  /** An owner intake chose itself (a team member id), used instead of the routing rules. */
  ownerId?: string | null;
  /** A due time intake promised, used instead of the policy's window. */
  nextActionDueAt?: Date | null;
  /** Extra history to record on the lead (how extraction went, what was dropped as invalid). */
  notes?: { type: string; detail: Record<string, unknown> }[];
}

export interface ReceivedLead {
  lead: LeadRow;
  /** False when the intake updated an open lead (same call, or the same caller within the window). */
  created: boolean;
  /**
   * True when this exact intake was already recorded on the lead (a webhook processed again
   * after a crash, a re-run): nothing was changed or recorded, and follow-ups must not repeat.
   */
  replayed: boolean;
}

/**
 * Records an intake: a new lead, or an update of the caller's open lead so nobody
 * double-contacts them. A complete record (or any emergency) is routed to one owner at once;
 * an incomplete one stays with intake, who are told what is missing.
 */
export async function receiveLead(deps: Deps, intake: LeadIntake): Promise<ReceivedLead> {
  return transact(deps, (work) => receiveLeadIn(work, intake));
}

/**
 * receiveLead inside a unit of work the caller owns, so what follows from the intake (a reply
 * to the customer, a notice to the owner) commits with the lead or not at all.
 */
export async function receiveLeadIn(work: Work, input: LeadIntake): Promise<ReceivedLead> {
  // Whatever the channel, a field is stored cleaned and at most MAX_FIELD_CHARS long.
  const intake = { ...input, fields: boundFields(input.fields) };
  const existing = await findOpenLead(work, intake);
  if (existing) {
    const merged = await mergeInto(work, existing, intake);
    if (!merged) return { lead: existing, created: false, replayed: true };
    return { lead: await recordAndRoute(work, intake, merged), created: false, replayed: false };
  }
  return { lead: await recordAndRoute(work, intake, await insertLead(work, intake)), created: true, replayed: false };
}

async function recordAndRoute(work: Work, intake: LeadIntake, lead: LeadRow): Promise<LeadRow> {
  for (const note of intake.notes ?? []) await recordEvent(work, lead.id, note.type, intake.actor, note.detail);
  const choice = { ownerId: intake.ownerId ?? null, due: intake.nextActionDueAt ?? null };
  return routeIfReady(work, intake.business, lead, intake.actor, choice);
}

/**
 * Serialises intakes of one call and of one caller for the rest of the transaction.
 * `SELECT … FOR UPDATE` cannot lock a lead that does not exist yet, so two intakes of the same
 * caller at the same moment would both find nothing and make two leads; a unique index cannot
 * say it either, since a second lead after the dedupe window is legitimate. Transaction-scoped
 * advisory locks are released by the commit. Always taken in the same order (call, then
 * caller) so two intakes can never wait on each other in a circle.
 */
async function lockIntakeKeys(work: Work, intake: LeadIntake): Promise<void> {
  const keys = [
    intake.externalId ? `call:${intake.business.id}:${intake.externalId}` : null,
    intake.fields.phone ? `caller:${intake.business.id}:${intake.fields.phone}` : null,
  ];
  for (const key of keys) {
    if (key) await work.tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
  }
}

/** The same call again (external id), or the same caller's open lead within the dedupe window. */
async function findOpenLead(work: Work, intake: LeadIntake): Promise<LeadRow | null> {
  await lockIntakeKeys(work, intake);
  const open = inArray(leads.state, ["intake", "offered", "accepted"]);
  if (intake.externalId) {
    const [same] = await work.tx
      .select()
      .from(leads)
      .where(and(eq(leads.businessId, intake.business.id), eq(leads.externalId, intake.externalId), open))
      .for("update");
    if (same) return same;
  }
  if (!intake.fields.phone) return null;
  const since = new Date(work.now.getTime() - durationMs(intake.business.config.dedupeWindow));
  const [recent] = await work.tx
    .select()
    .from(leads)
    .where(and(eq(leads.businessId, intake.business.id), eq(leads.phone, intake.fields.phone), open, gte(leads.createdAt, since)))
    .orderBy(desc(leads.createdAt))
    .limit(1)
    .for("update");
  return recent ?? null;
}

async function insertLead(work: Work, intake: LeadIntake): Promise<LeadRow> {
  const [counter] = await work.tx
    .update(businesses)
    .set({ nextLeadCode: sql`${businesses.nextLeadCode} + 1` })
    .where(eq(businesses.id, intake.business.id))
    .returning({ next: businesses.nextLeadCode });
  const fields = withDefaults(intake.fields);
  const [lead] = await work.tx
    .insert(leads)
    .values({
      businessId: intake.business.id,
      code: counter!.next - 1,
      state: "intake",
      ...fields,
      channel: intake.channel,
      fieldSources: intake.sources,
      externalId: intake.externalId ?? null,
      transcript: intake.transcript ?? null,
      recordingUrl: intake.recordingUrl ?? null,
      createdAt: work.now,
      updatedAt: work.now,
    })
    .returning();
  await recordEvent(work, lead!.id, "created", intake.actor, {
    channel: intake.channel,
    externalId: intake.externalId ?? null,
    fields: Object.keys(intake.fields),
    missingFields: missingFields(fields),
  });
  return lead!;
}

function withDefaults(fields: Partial<LeadFields>): LeadFields {
  return {
    fullName: null, phone: null, serviceAddress: null, market: null, serviceType: null, urgency: null,
    source: null, summaryNotes: null, promisedNextStep: null, referralContext: null, followUpDate: null,
    leadType: "service", opportunity: "standard", fit: "unknown",
    ...stripNulls(fields),
  };
}

const stripNulls = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

/**
 * Adds what a new intake knows to an open lead: empty fields are filled, notes and transcripts
 * appended; what the record already holds (perhaps confirmed by a person) is not overwritten.
 * The same call or message again (its external id already recorded on the lead) adds only what
 * is new, so a replay never doubles the transcript or the notes. Null when it adds nothing at all.
 */
async function mergeInto(work: Work, lead: LeadRow, intake: LeadIntake): Promise<LeadRow | null> {
  const current = fieldsOf(lead);
  const incoming = stripNulls(intake.fields);
  const filled: Partial<LeadFields> = {};
  const sources: FieldSources = { ...lead.fieldSources };
  for (const [name, value] of Object.entries(incoming) as [keyof LeadFields, never][]) {
    const defaulted = name === "leadType" || name === "opportunity" || name === "fit";
    const empty = current[name] === null || (defaulted && current[name] === withDefaults({})[name]);
    if (empty && value !== current[name]) {
      (filled as Record<string, unknown>)[name] = value;
      if (intake.sources[name]) sources[name] = intake.sources[name];
    }
  }
  // Notes are never repeated, whatever their source: a summary already in them adds nothing.
  const notes = mergedText(current.summaryNotes, incoming.summaryNotes ?? null, "\n", true);
  if (notes !== current.summaryNotes && current.summaryNotes) filled.summaryNotes = capText(notes!);
  const seen = await hasIntakeOf(work, lead, intake.externalId ?? null);
  const transcript = mergedText(lead.transcript, intake.transcript ?? null, TRANSCRIPT_SEPARATOR, seen);
  const recordingUrl = lead.recordingUrl ?? intake.recordingUrl ?? null;
  const externalId = lead.externalId ?? intake.externalId ?? null;
  const changed =
    Object.keys(filled).length > 0 || transcript !== lead.transcript || recordingUrl !== lead.recordingUrl || externalId !== lead.externalId;
  if (seen && !changed) return null;
  const [updated] = await work.tx
    .update(leads)
    .set({ ...filled, fieldSources: sources, transcript, recordingUrl, externalId, updatedAt: work.now })
    .where(eq(leads.id, lead.id))
    .returning();
  await recordEvent(work, lead.id, "merged", intake.actor, {
    channel: intake.channel,
    externalId: intake.externalId ?? null,
    filled: Object.keys(filled),
    reason: intake.externalId && intake.externalId === lead.externalId ? "same call" : "same caller within the dedupe window",
  });
  return updated!;
}

const TRANSCRIPT_SEPARATOR = "\n---\n";

/**
 * Whether this intake's external id (a call id, a MessageSid) is already recorded on the lead:
 * the lead was made from it, or it was merged in before.
 */
async function hasIntakeOf(work: Work, lead: LeadRow, externalId: string | null): Promise<boolean> {
  if (!externalId) return false;
  if (lead.externalId === externalId) return true;
  const [row] = await work.tx
    .select({ id: leadEvents.id })
    .from(leadEvents)
    .where(and(eq(leadEvents.leadId, lead.id), inArray(leadEvents.type, ["created", "merged"]), sql`${leadEvents.detail}->>'externalId' = ${externalId}`))
    .limit(1);
  return row !== undefined;
}
