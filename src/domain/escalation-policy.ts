import type { BusinessConfig } from "./business-config.ts";
import { durationMs } from "./duration.ts";
import { isEmergency, type LeadFields } from "./lead.ts";

/**
 * The one place that reads `escalation` of a business config: which class a lead is in, how long
 * it may wait, who it climbs to and on which channels. The offer (offer-lead.ts) and the ladder
 * (escalation-ladder.ts) both ask here, so a window can never mean two things.
 */

/** The SOP's escalation classes: what window a lead gets and who it climbs to. */
export type LeadClass = "urgent" | "standard" | "estimate";

/** A class of waiting: an offered lead's class, or a lead still incomplete with intake. */
export type EscalationClass = LeadClass | "incomplete";

export type EscalationChannel = "sms" | "voice";

type EscalationConfig = Pick<BusinessConfig, "escalation">;

/** Emergency, active-loss and premium work is urgent; estimates and consults wait on movement. */
export function leadClass(lead: Pick<LeadFields, "urgency" | "opportunity" | "leadType">): LeadClass {
  if (isEmergency(lead.urgency) || lead.opportunity === "premium") return "urgent";
  if (lead.leadType === "estimate" || lead.leadType === "consult") return "estimate";
  return "standard";
}

/**
 * How long a lead of a class may wait before it escalates: acceptance (urgent, standard), any
 * movement (estimate), or completion of the record (incomplete).
 */
export function escalationWindowMs(config: EscalationConfig, cls: EscalationClass): number {
  const e = config.escalation;
  switch (cls) {
    case "urgent":
      return durationMs(e.urgent.acceptWithin);
    case "standard":
      return durationMs(e.standard.acceptWithin);
    case "estimate":
      return durationMs(e.estimate.moveWithin);
    case "incomplete":
      return durationMs(e.incomplete.completeWithin);
  }
}

/** The role a class escalates to first when its window passes. */
export function escalationTarget(config: EscalationConfig, cls: EscalationClass): string {
  return config.escalation[cls].escalateTo;
}

/**
 * The channels of a class: its offer goes out on them and so does its first escalation (urgent
 * work rings the phone as well as texting it). Incomplete intake names none: a text is enough to
 * get a record finished.
 */
export function classChannels(config: EscalationConfig, cls: EscalationClass): EscalationChannel[] {
  if (cls === "incomplete") return ["sms"];
  return config.escalation[cls].channels;
}

/** How long an offer may wait for acceptance (or, for estimates, any movement) before escalating. */
export function acceptanceWindowMs(config: EscalationConfig, cls: LeadClass): number {
  return escalationWindowMs(config, cls);
}

/** Channels an offer goes out on: urgent work rings the phone as well as texting it. */
export function offerChannels(config: EscalationConfig, cls: LeadClass): EscalationChannel[] {
  return classChannels(config, cls);
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
