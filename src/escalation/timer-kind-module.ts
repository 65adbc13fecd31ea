import type { Deps } from "../core/deps.ts";
import type { TimerRow } from "../core/timer-store.ts";
import type { TimerKind, TimerKindShape, TimerPayload } from "../domain/timers/index.ts";
import type { FireOutcome } from "./fire-outcome.ts";

/**
 * One kind of timer, whole: its name, key builder and payload schema (the pure shape from
 * domain/timers/) and the handler that fires it. The handler gets the payload already parsed
 * by that schema; it re-reads what the timer is about and does nothing if it moved on.
 */
export interface TimerKindModule<K extends TimerKind> extends TimerKindShape<K, TimerPayload<K>, never> {
  fire(deps: Deps, timer: TimerRow, payload: TimerPayload<K>): Promise<FireOutcome>;
}
