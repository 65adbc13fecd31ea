import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import type { Work } from "../core/transact.ts";
import { isEmergency, missingFields } from "../domain/lead.ts";
import { noteIncomplete } from "./incomplete.ts";
import { routeAndOffer } from "./offer-lead.ts";

/**
 * Complete records go to an owner; so do emergencies and recovered missed calls, complete or
 * not (emergency work cannot sit unowned; missed calls never go back to a generic pool).
 * The rest stay with intake.
 */
export async function routeIfReady(
  work: Work,
  business: BusinessRow,
  lead: LeadRow,
  actor: string,
  choice: { ownerId: string | null; due: Date | null } = { ownerId: null, due: null },
): Promise<LeadRow> {
  if (lead.state !== "intake") return lead;
  const fields = fieldsOf(lead);
  const missing = missingFields(fields);
  if (missing.length === 0 || isEmergency(fields.urgency) || fields.source === "missed_call") {
    const routed = await routeAndOffer(work, business, lead, { actor, ...choice });
    if (routed.state === "offered") return routed;
  }
  await noteIncomplete(work, business, lead, missing);
  return lead;
}
