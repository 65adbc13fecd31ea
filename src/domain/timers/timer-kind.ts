import type { z } from "zod";

/**
 * Every kind of timer the gateway sets. A new kind is one more name here and in TimerPayloads
 * (index.ts), its shape beside this file (key and payload schema) and its handler registered in
 * escalation/timer-kinds.ts; the compiler refuses a kind missing any of them.
 */
export const TIMER_KINDS = ["escalate", "incomplete", "end-of-day", "reconcile", "next-action-due", "overdue", "follow-up", "reassign-window", "shift-start", "ask-wait", "ask-call", "qa-reminder"] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** pending → firing (claimed, leased) → fired | canceled. */
export const TIMER_STATUSES = ["pending", "firing", "fired", "canceled"] as const;
export type TimerStatus = (typeof TIMER_STATUSES)[number];

/**
 * What the timers of one kind look like, in pure terms: how a wake-up's dedupe key is built (the
 * same intended firing always gets the same key, so scheduling it twice makes one timer) and the
 * zod schema its stored payload is read back with.
 */
export interface TimerKindShape<K extends TimerKind, Payload, KeyArgs> {
  readonly kind: K;
  readonly payload: z.ZodType<Payload>;
  key(args: KeyArgs): string;
}
