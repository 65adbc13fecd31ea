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
  /**
   * Set when this intake answers the question the gateway asked the caller (CONTRACT §15): the
   * asked lead is updated (whatever the dedupe window says), and the conversation goes on.
   */
  answersAskOf?: string | null;
  /** Extra history to record on the lead (how extraction went, what was dropped as invalid). */
  notes?: { type: LeadEventType; detail: Record<string, unknown> }[];
}
