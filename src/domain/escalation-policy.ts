import type { BusinessConfig } from "./business-config.ts";
import { durationMs } from "./duration.ts";
import { isEmergency, type LeadFields } from "./lead.ts";

/** The SOP's escalation classes: what window a lead gets and who it climbs to. */
export type LeadClass = "urgent" | "standard" | "estimate";

/** Emergency, active-loss and premium work is urgent; estimates and consults wait on movement. */
export function leadClass(lead: Pick<LeadFields, "urgency" | "opportunity" | "leadType">): LeadClass {
  if (isEmergency(lead.urgency) || lead.opportunity === "premium") return "urgent";
  if (lead.leadType === "estimate" || lead.leadType === "consult") return "estimate";
  return "standard";
}

/** How long an offer may wait for acceptance (or, for estimates, any movement) before escalating. */
export function acceptanceWindowMs(config: BusinessConfig, cls: LeadClass): number {
  const e = config.escalation;
  if (cls === "urgent") return durationMs(e.urgent.acceptWithin);
  if (cls === "estimate") return durationMs(e.estimate.moveWithin);
  return durationMs(e.standard.acceptWithin);
}

/** Channels an offer goes out on: urgent work rings the phone as well as texting it. */
export function offerChannels(config: BusinessConfig, cls: LeadClass): ("sms" | "voice")[] {
  if (cls === "urgent") return config.escalation.urgent.channels;
  if (cls === "estimate") return config.escalation.estimate.channels;
  return config.escalation.standard.channels;
}

/**
 * The due time of the owner's next action: a missed call's callback is due within the
 * configured callback window; anything else within its class's acceptance window.
 */
export function nextActionDueAt(
  config: BusinessConfig,
  lead: Pick<LeadFields, "urgency" | "opportunity" | "leadType" | "source">,
  now: Date,
): Date {
  const ms =
    lead.source === "missed_call"
      ? durationMs(config.missedCall.callbackWithin)
      : acceptanceWindowMs(config, leadClass(lead));
  return new Date(now.getTime() + ms);
}
