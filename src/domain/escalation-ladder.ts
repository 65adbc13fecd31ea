import type { BusinessConfig } from "./business-config.ts";
import { durationMs } from "./duration.ts";
import {
  classChannels,
  escalationTarget,
  escalationWindowMs,
  type EscalationChannel,
  type EscalationClass,
} from "./escalation-policy.ts";

/**
 * The climb of a lead nobody accepts (SOP "Escalation Rules"):
 *   offer ──window──▶ escalateTo ──window──▶ manager ──every──▶ manager … (maxRepeats) ──▶ stop
 * When escalateTo already is the manager, the middle rung is skipped: the next rungs are the repeats.
 * Each rung is a wake-up; what it does to the lead (and whether the lead moved on) is decided
 * when it fires. Windows, targets and channels come from escalation-policy.ts.
 */

/** How a lead is waiting; picks the window and the first target from `escalation`. */
export type LeadClass = EscalationClass;

export type { EscalationChannel };

/** One rung of the ladder: who gets the lead, how they are reached, and how long from now. */
export interface EscalationStep {
  /** The level the lead reaches when this step fires (the offer itself is level 0). */
  level: number;
  targetRole: string;
  channels: EscalationChannel[];
  /** Delay from the previous rung (or from the offer, for level 1). */
  dueInMs: number;
}

/** The role every climb ends with. */
export const MANAGER_ROLE = "manager";

type EscalationConfig = Pick<BusinessConfig, "escalation">;

/**
 * The next rung after `level` (0 = just offered), or null when the climb is over.
 * The manager rung waits the class's window again (the first target gets the same time to act as
 * the original owner); repeats wait `escalation.repeat.every`, at most `maxRepeats` of them.
 */
export function nextEscalation(input: { leadClass: LeadClass; level: number; config: EscalationConfig }): EscalationStep | null {
  const { leadClass, level, config } = input;
  if (!Number.isInteger(level) || level < 0) throw new Error(`escalation level must be a whole number ≥ 0, got ${level}`);

  const windowMs = escalationWindowMs(config, leadClass);
  const firstRole = escalationTarget(config, leadClass);
  // Urgent work reaches the manager by voice as well; everything else by text.
  const managerChannels: EscalationChannel[] = leadClass === "urgent" ? ["sms", "voice"] : ["sms"];
  const repeat = config.escalation.repeat;

  if (level === 0) return { level: 1, targetRole: firstRole, channels: classChannels(config, leadClass), dueInMs: windowMs };

  // The level after which repeats start: 1 when the first rung already was the manager.
  const lastBeforeRepeats = firstRole === MANAGER_ROLE ? 1 : 2;
  if (level === 1 && lastBeforeRepeats === 2) {
    return { level: 2, targetRole: MANAGER_ROLE, channels: managerChannels, dueInMs: windowMs };
  }
  if (level - lastBeforeRepeats >= repeat.maxRepeats) return null;
  return { level: level + 1, targetRole: MANAGER_ROLE, channels: managerChannels, dueInMs: durationMs(repeat.every) };
}
