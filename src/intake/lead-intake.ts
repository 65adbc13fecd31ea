import type { BusinessRow } from "../core/records.ts";
import type { Channel, FieldSources, LeadFields } from "../domain/lead.ts";
import type { LeadEventType } from "../domain/lead-event.ts";

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
  notes?: { type: LeadEventType; detail: Record<string, unknown> }[];
}

/** A new lead's fields: what the intake gave, the rest empty (or the default kind and fit). */
export function withDefaults(fields: Partial<LeadFields>): LeadFields {
  return {
    fullName: null, phone: null, serviceAddress: null, market: null, serviceType: null, urgency: null,
    source: null, summaryNotes: null, promisedNextStep: null, referralContext: null, followUpDate: null,
    leadType: "service", opportunity: "standard", fit: "unknown",
    ...stripNulls(fields),
  };
}

/** The fields that hold a value. */
export const stripNulls = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
