import type { LeadEventType } from "../domain/lead-event.ts";

/**
 * The history entry of an intake that reconciliation pulled from a provider's API because its
 * webhook never came (CONTRACT §14): a `recovered` event naming the provider and its id.
 */
export function recoveredNote(provider: string, externalId: string): { type: LeadEventType; detail: Record<string, unknown> } {
  return { type: "recovered", detail: { provider, by: "reconciliation", externalId } };
}
