import type { AskPayload } from "./ask-timers.ts";
import type { EndOfDayPayload } from "./end-of-day-timer.ts";
import type { EscalatePayload } from "./escalate-timer.ts";
import type { IncompletePayload } from "./incomplete-timer.ts";
import type { FollowUpPayload, NextActionPayload, ReassignWindowPayload } from "./next-action-timers.ts";
import type { QaReminderPayload } from "./qa-reminder-timer.ts";
import type { ReconcilePayload } from "./reconcile-timer.ts";
import type { ShiftStartPayload } from "./shift-start-timer.ts";
import type { TimerKind } from "./timer-kind.ts";

export * from "./timer-kind.ts";
export * from "./escalate-timer.ts";
export * from "./incomplete-timer.ts";
export * from "./end-of-day-timer.ts";
export * from "./next-action-timers.ts";
export * from "./reconcile-timer.ts";
export * from "./qa-reminder-timer.ts";
export * from "./shift-start-timer.ts";
export * from "./ask-timers.ts";

/** The payload each kind's timers carry. */
export interface TimerPayloads {
  escalate: EscalatePayload;
  incomplete: IncompletePayload;
  "end-of-day": EndOfDayPayload;
  "next-action-due": NextActionPayload;
  overdue: NextActionPayload;
  "follow-up": FollowUpPayload;
  "reassign-window": ReassignWindowPayload;
  reconcile: ReconcilePayload;
  "qa-reminder": QaReminderPayload;
  "shift-start": ShiftStartPayload;
  "ask-wait": AskPayload;
  "ask-call": AskPayload;
}

/** The payload of a timer of kind `K`; a kind missing from TimerPayloads fails to compile here. */
export type TimerPayload<K extends TimerKind> = TimerPayloads[K];

/** A wake-up to set: its kind and a payload of that kind. */
export type TimerOfKind = { [K in TimerKind]: { kind: K; payload: TimerPayload<K> } }[TimerKind];
