import { toGsm7 } from "./gsm7.ts";
import { truncateWords } from "./sms-fit.ts";

/** What the weekly QA reminder says. */
export interface QaReminderInput {
  businessName: string;
  /** `2026-W49` */
  week: string;
  reviewed: number;
  /** min(perWeek, handoffs of the week) */
  target: number;
}

const MAX_NAME = 40;

/**
 * The weekly QA reminder (SOP "QA Review": at least five handoffs a week) to the `qa.to` role
 * while the week's sample is not yet reviewed: how many of how many. One GSM-7 segment
 * (the name is clipped to 40 characters).
 */
export function qaReminderText({ businessName, week, reviewed, target }: QaReminderInput): string {
  const name = truncateWords(toGsm7(businessName), MAX_NAME) || toGsm7(businessName).slice(0, MAX_NAME);
  const left = Math.max(0, target - reviewed);
  return `${name} QA review ${week}: ${reviewed} of ${target} handoffs reviewed, ${left} to go before the week ends.`;
}
