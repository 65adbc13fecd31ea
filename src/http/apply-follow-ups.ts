import type { Deps } from "../core/deps.ts";
import { scheduleShiftStarts } from "../escalation/shift-starts.ts";
import { scheduleReconciliations } from "../reconcile/state.ts";

/**
 * What is planned at once after a business config is applied, wherever it was applied:
 * PUT /api/businesses/{slug} runs these in the background, `handoff apply` on the database
 * (no server answering) before it exits. Each stands alone (one failing does not stop the
 * next), and each is idempotent: the backstop and the start-up run them again anyway.
 */
export const APPLY_FOLLOW_UPS: readonly { name: string; run: (deps: Deps, businessId: string) => Promise<unknown> }[] = [
  // A provider turned on (or a new business) is reconciled at once, not at the next sweep.
  { name: "schedule reconciliations", run: (deps) => scheduleReconciliations(deps) },
  // Schedules changed: the next shift-start texts are planned again from the new config.
  { name: "schedule shift starts", run: (deps, businessId) => scheduleShiftStarts(deps, { businessId }) },
];
