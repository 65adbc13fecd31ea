import { TIMER_KINDS, type TimerKind, type TimerPayload } from "../domain/timers/index.ts";
import { askCallKind, askWaitKind } from "./ask-timers.ts";
import { endOfDayKind } from "./end-of-day-digest.ts";
import { incompleteKind } from "./escalate-incomplete.ts";
import { escalateKind } from "./escalate-offer.ts";
import { followUpKind, nextActionDueKind, overdueKind } from "./next-action-reminders.ts";
import { reassignWindowKind } from "./reassign-window.ts";
import { qaReminderKind } from "./qa-reminder.ts";
import { reconcileKind } from "./reconcile-kind.ts";
import { shiftStartKind } from "./shift-starts.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/**
 * Every timer kind and its module (Cal.com's tasker registry: a kind is a module, not a string
 * to split). A kind in TIMER_KINDS without a module here does not compile; a new kind is its
 * shape in domain/timers/, its handler beside the others and one line here.
 */
export const TIMER_KIND_MODULES: { [K in TimerKind]: TimerKindModule<K> } = {
  escalate: escalateKind,
  incomplete: incompleteKind,
  "end-of-day": endOfDayKind,
  "next-action-due": nextActionDueKind,
  overdue: overdueKind,
  "follow-up": followUpKind,
  "reassign-window": reassignWindowKind,
  reconcile: reconcileKind,
  "qa-reminder": qaReminderKind,
  "shift-start": shiftStartKind,
  "ask-wait": askWaitKind,
  "ask-call": askCallKind,
};

const KNOWN: ReadonlySet<string> = new Set(TIMER_KINDS);

/** Whether a stored kind is one this build knows (a row may name a kind from another version). */
export const isTimerKind = (kind: string): kind is TimerKind => KNOWN.has(kind);

/** The module of a known kind. */
export function timerKindModule<K extends TimerKind>(kind: K): TimerKindModule<K> {
  return TIMER_KIND_MODULES[kind];
}

/** A timer ready to fire: its module and its payload, parsed. */
export interface ReadTimer<K extends TimerKind> {
  module: TimerKindModule<K>;
  payload: TimerPayload<K>;
}

/**
 * Finds a timer's module and parses its payload with the kind's schema. A kind nobody knows or
 * a payload that does not fit is refused with the reason, never thrown: no later attempt
 * would read it differently, so retrying could only fail again.
 */
// Takes the row as stored, not as typed: the database holds whatever text and JSON was written.
export function readTimer(timer: { kind: string; payload: unknown }): ReadTimer<TimerKind> | { refused: string } {
  if (!isTimerKind(timer.kind)) return { refused: `unknown timer kind "${timer.kind}"` };
  return parseWith(timerKindModule(timer.kind), timer.payload);
}

function parseWith<K extends TimerKind>(module: TimerKindModule<K>, payload: unknown): ReadTimer<K> | { refused: string } {
  const parsed = module.payload.safeParse(payload ?? {});
  if (!parsed.success) return { refused: `payload does not fit a "${module.kind}" timer: ${parsed.error.issues.map((i) => i.message).join("; ")}` };
  return { module, payload: parsed.data };
}
