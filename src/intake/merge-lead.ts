import { and, eq, inArray, sql } from "drizzle-orm";
import { fieldsOf, type LeadRow } from "../core/records.ts";
import { flushHistory, recordEvent, type Work } from "../core/transact.ts";
import { leadEvents, leads } from "../db/schema/index.ts";
import { stripNulls, withDefaults, type FieldSources, type LeadFields } from "../domain/lead.ts";
import { mergedText } from "../domain/merge-text.ts";
import { capText } from "../domain/storable-text.ts";
import type { LeadIntake } from "./lead-intake.ts";

/**
 * Adds what a new intake knows to an open lead: empty fields are filled, notes and transcripts
 * appended; what the record already holds (perhaps confirmed by a person) is not overwritten.
 * The same call or message again (its external id already recorded on the lead) adds only what
 * is new, so a replay never doubles the transcript or the notes. Null when it adds nothing at all.
 */
export async function mergeInto(work: Work, lead: LeadRow, intake: LeadIntake): Promise<LeadRow | null> {
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
  await flushHistory(work);
  const [row] = await work.tx
    .select({ id: leadEvents.id })
    .from(leadEvents)
    .where(and(eq(leadEvents.leadId, lead.id), inArray(leadEvents.type, ["created", "merged"]), sql`${leadEvents.detail}->>'externalId' = ${externalId}`))
    .limit(1);
  return row !== undefined;
}
