import { reconcileTimer } from "../domain/timers/index.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/**
 * The `reconcile` kind: its key and payload (domain/timers/reconcile-timer.ts), fired by the
 * reconciler the composition root wired into the deps (reconcile/run.ts), since what a run does
 * (store, extract, route) sits in rooms this one may not import.
 */
export const reconcileKind: TimerKindModule<"reconcile"> = {
  ...reconcileTimer,
  fire: (deps, timer, payload) => deps.reconcile.run(timer, payload.provider),
};
