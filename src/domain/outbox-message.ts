/**
 * The closed sets an outbox row (outbound_messages) is made of. The database keeps them as text;
 * these lists are what TypeScript lets the code write there.
 */

/** How a message reaches a person: a text, or a call that speaks it. */
export const MESSAGE_CHANNELS = ["sms", "voice"] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** Why a message was queued; what a reader of the outbox (and `handoff lead`) sees. */
export const MESSAGE_PURPOSES = [
  "offer",
  "escalation",
  "taken",
  "reassigned",
  "reply",
  "rejected",
  "incomplete",
  "digest",
  "opted-out",
  "text-back",
  "missed-call",
  "voicemail",
  "customer-reply",
  "auto-reply",
  "reassign-offer",
  "reassign-not-taken",
  "reminder",
  "overdue",
  "follow-up",
  "customer-update",
  "qa-reminder",
  "shift-start",
  "shift-cover",
  /** A question to the caller for a missing field (CONTRACT §15). */
  "ask",
  "sign-in",
] as const;
export type MessagePurpose = (typeof MESSAGE_PURPOSES)[number];

/**
 * Our own outbox statuses, then Twilio's for messages (MessageStatus) and calls (CallStatus):
 * a send's answer and a status callback write the provider's status on the row as reported.
 */
export const OUTBOX_STATUSES = [
  // ours: waiting, claimed (leased), never sent, or sent nowhere
  "queued",
  "sending",
  "failed",
  "suppressed",
  "dry-run",
  // Twilio messages
  "accepted",
  "scheduled",
  "sent",
  "delivered",
  "undelivered",
  "read",
  "receiving",
  "received",
  "partially_delivered",
  "canceled",
  // Twilio calls (and the "initiated" status-callback event)
  "initiated",
  "ringing",
  "in-progress",
  "completed",
  "busy",
  "no-answer",
] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

const KNOWN_STATUSES: ReadonlySet<string> = new Set(OUTBOX_STATUSES);

/** Whether a status a provider reported is one the outbox knows (a callback may carry anything). */
export function isOutboxStatus(status: string): status is OutboxStatus {
  return KNOWN_STATUSES.has(status);
}
