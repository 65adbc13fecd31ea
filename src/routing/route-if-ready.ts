import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import type { Work } from "../core/transact.ts";
import { isEmergency, missingFields } from "../domain/lead.ts";
import { askOf, askOrTellIntake, closeAsk, recordAnswers } from "./ask-customer.ts";
import { routeAndOffer } from "./offer-lead.ts";

/**
 * Complete records go to an owner; so do emergencies and recovered missed calls, complete or
 * not (emergency work cannot sit unowned; missed calls never go back to a generic pool).
 * The rest stay with intake, who hear of them once asking the caller is over (ask-customer.ts).
 * `reply` marks the caller's answer to a question the gateway asked (CONTRACT §15).
 */
export async function routeIfReady(
  work: Work,
  business: BusinessRow,
  lead: LeadRow,
  actor: string,
  choice: { ownerId: string | null; due: Date | null; reply?: boolean } = { ownerId: null, due: null },
): Promise<LeadRow> {
  if (lead.state !== "intake") return lead;
  const fields = fieldsOf(lead);
  const missing = missingFields(fields);
  let ask = await askOf(work, lead.id);
  if (ask?.status === "open") ask = await recordAnswers(work, lead, ask, missing, choice.reply ?? false);
  if (missing.length === 0 || isEmergency(fields.urgency) || fields.source === "missed_call") {
    const routed = await routeAndOffer(work, business, lead, { actor, ownerId: choice.ownerId, due: choice.due });
    if (routed.state === "offered") {
      if (ask) await closeAsk(work, ask, missing.length === 0 ? "the record is complete" : "offered");
      return routed;
    }
  }
  await askOrTellIntake(work, business, lead, missing, ask, choice.reply ?? false);
  return lead;
}
