/**
 * Where a stored webhook (inbound_events) stands: received → processing (claimed) → processed,
 * or failed (retried), superseded (a later event of the same call won), ignored or malformed
 * (stored for the record, never processed).
 */
export const INBOUND_STATUSES = ["received", "processing", "processed", "failed", "superseded", "ignored", "malformed"] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];
