/**
 * Every kind of entry in a lead's history (lead_events.type). The database keeps text; a new
 * entry kind is one more name here.
 */
export const LEAD_EVENT_TYPES = [
  // intake
  "created",
  "merged",
  "fields_updated",
  "with_intake",
  "customer_message",
  "missed_call",
  "voicemail",
  "invalid_fields_dropped",
  "extraction_failed",
  /** Made or updated from a provider's API by reconciliation: its webhook never came. */
  "recovered",
  /** The caller was asked for a missing field (CONTRACT §15): detail field, channel. */
  "asked",
  /** The caller's answer filled the field asked: detail field, source (where the value came from). */
  "answered",
  // routing and the offer
  "offered",
  "offer_fallback",
  "routing_failed",
  "message_status",
  // what the team did
  "accepted",
  "rejected",
  "reassigned",
  "closed",
  // after acceptance (CONTRACT §9)
  "next_action",
  "note",
  "reassign_offered",
  "reassign_declined",
  "reassign_expired",
  "member_away",
  "member_back",
  "reminded",
  "overdue_escalated",
  "follow_up_reminded",
  "customer_updated",
  // the ladder
  "escalated",
  "escalation_deferred",
  "escalation_stopped",
  // the weekly QA review (CONTRACT §12): a reviewer's answers about this handoff
  "qa_reviewed",
  // outbound events (CONTRACT §13): how a delivery to a webhook ended
  "webhook_delivered",
  "webhook_failed",
  /** A connector's attempt (HubSpot, Jobber) failed and will be retried: the lead is not in that tool yet. */
  "connector_attempt_failed",
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];
