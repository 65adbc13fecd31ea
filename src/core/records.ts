import type { businesses, leadEvents, leads } from "../db/schema/index.ts";
import type { BusinessConfig } from "../domain/business-config.ts";
import { missingFields, type LeadFields } from "../domain/lead.ts";

export type BusinessRow = typeof businesses.$inferSelect;
export type LeadRow = typeof leads.$inferSelect;
export type LeadEventRow = typeof leadEvents.$inferSelect;

/** The fields of a lead row as the domain types them. */
export function fieldsOf(row: LeadRow): LeadFields {
  return {
    fullName: row.fullName,
    phone: row.phone,
    serviceAddress: row.serviceAddress,
    market: row.market,
    serviceType: row.serviceType,
    urgency: row.urgency as LeadFields["urgency"],
    source: row.source,
    summaryNotes: row.summaryNotes,
    promisedNextStep: row.promisedNextStep,
    leadType: row.leadType as LeadFields["leadType"],
    opportunity: row.opportunity as LeadFields["opportunity"],
    fit: row.fit as LeadFields["fit"],
    referralContext: row.referralContext,
    followUpDate: row.followUpDate,
  };
}

/** The lead as the API shows it (CONTRACT §3), events included when given. */
export function toApiLead(row: LeadRow, business: Pick<BusinessRow, "slug">, events?: LeadEventRow[]) {
  return {
    id: row.id,
    code: row.code,
    business: business.slug,
    state: row.state,
    ...fieldsOf(row),
    channel: row.channel,
    ownerId: row.ownerId,
    nextAction: row.nextAction,
    nextActionDueAt: row.nextActionDueAt?.toISOString() ?? null,
    notes: row.notes,
    pendingOwnerId: row.pendingOwnerId,
    pendingOfferedAt: row.pendingOfferedAt?.toISOString() ?? null,
    missingFields: missingFields(fieldsOf(row)),
    fieldSources: row.fieldSources,
    rejections: row.rejections,
    offeredTo: row.offeredTo,
    escalationLevel: row.escalationLevel,
    outcome: row.outcome,
    externalId: row.externalId,
    recordingUrl: row.recordingUrl,
    transcript: row.transcript,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    offeredAt: row.offeredAt?.toISOString() ?? null,
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    lastActionAt: row.lastActionAt?.toISOString() ?? null,
    ...(events && {
      events: events.map((e) => ({ at: e.at.toISOString(), type: e.type, actor: e.actor, detail: e.detail })),
    }),
  };
}

/** Where the work is: the street address, or the market when that is all intake has. */
export const placeOf = (row: LeadRow) => row.serviceAddress ?? row.market;

export const configOf = (business: BusinessRow): BusinessConfig => business.config;
