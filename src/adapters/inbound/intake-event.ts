import type { Channel, LeadFields } from "../../domain/lead.ts";

/** The one shape every inbound intake (Vapi, Retell, Bland, generic intake, Twilio) becomes. */
export interface IntakeEvent {
  channel: Channel;
  /** The provider's id for the call or submission (Vapi call id, Retell call_id…). */
  externalId: string;
  /** Caller ID as the provider saw it, E.164 when valid. */
  callerPhone: string | null;
  transcript: string | null;
  summary: string | null;
  /** The provider's own extracted values, keyed as the agency named them. */
  structuredData: Record<string, unknown>;
  /** Fields the sender already named with our field names (generic intake `fields`). */
  fields: Partial<LeadFields>;
  source: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  recordingUrl: string | null;
  /** False for a call that never connected: no analysis, nothing to extract but caller ID. */
  connected: boolean;
}
