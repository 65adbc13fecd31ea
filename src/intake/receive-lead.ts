import { and, desc, eq, gte, inArray, or, sql } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import type { LeadRow } from "../core/records.ts";
import { recordEvent, transact, type Work } from "../core/transact.ts";
import { leads } from "../db/schema/index.ts";
import { durationMs } from "../domain/duration.ts";
import { missingFields, OPEN_STATES, withDefaults } from "../domain/lead.ts";
import { boundFields } from "../domain/storable-text.ts";
import { routeIfReady } from "../routing/route-if-ready.ts";
import type { LeadIntake } from "./lead-intake.ts";
import { mergeInto } from "./merge-lead.ts";

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
  const choice = { ownerId: intake.ownerId ?? null, due: intake.nextActionDueAt ?? null, reply: Boolean(intake.answersAskOf) && intake.answersAskOf === lead.id };
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
  ].filter((key) => key !== null);
  if (!keys.length) return;
  // One round trip; unnest yields the keys in array order, so the locks are taken in that order.
  const array = sql.join(keys.map((key) => sql`${key}`), sql`, `);
  await work.tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(key, 0)) from unnest(array[${array}]::text[]) as key`);
}

/**
 * The lead the caller was asked about, else the same call again (external id), else the same
 * caller's newest open lead within the dedupe window: one statement, after the intake's locks
 * (a statement sees what committed before it began, so the locks must come first).
 */
async function findOpenLead(work: Work, intake: LeadIntake): Promise<LeadRow | null> {
  await lockIntakeKeys(work, intake);
  const { answersAskOf, externalId } = intake;
  const phone = intake.fields.phone;
  const since = new Date(work.now.getTime() - durationMs(intake.business.config.dedupeWindow));
  const matches = [
    answersAskOf ? eq(leads.id, answersAskOf) : undefined,
    externalId ? eq(leads.externalId, externalId) : undefined,
    phone ? and(eq(leads.phone, phone), gte(leads.createdAt, since)) : undefined,
  ].filter((match) => match !== undefined);
  if (!matches.length) return null;
  const preferred = [
    answersAskOf ? sql`when ${leads.id} = ${answersAskOf} then 0` : undefined,
    externalId ? sql`when ${leads.externalId} = ${externalId} then 1` : undefined,
  ].filter((when) => when !== undefined);
  const order = preferred.length ? [sql`case ${sql.join(preferred, sql` `)} else 2 end`, desc(leads.createdAt)] : [desc(leads.createdAt)];
  const [found] = await work.tx
    .select()
    .from(leads)
    .where(and(eq(leads.businessId, intake.business.id), inArray(leads.state, [...OPEN_STATES]), or(...matches)))
    .orderBy(...order)
    .limit(1)
    .for("update");
  return found ?? null;
}

/**
 * The business's code sequence (drizzle/0011: made by a trigger when the business is inserted).
 * nextval() holds no lock past the call, so intakes of one business never wait on each other for
 * their codes; a code drawn by a transaction that rolled back is skipped.
 */
export const leadCodeSequence = (businessId: string) => `lead_code_${businessId.replaceAll("-", "")}`;

async function insertLead(work: Work, intake: LeadIntake): Promise<LeadRow> {
  const fields = withDefaults(intake.fields);
  const [lead] = await work.tx
    .insert(leads)
    .values({
      businessId: intake.business.id,
      code: sql`nextval(${leadCodeSequence(intake.business.id)})`,
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
