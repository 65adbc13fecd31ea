import { z } from "zod";
import { RECONCILE_PROVIDERS, type ReconcileProvider } from "../reconcile-config.ts";
import type { TimerKindShape } from "./timer-kind.ts";

const payload = z.object({
  /** Whose calls this run lists. */
  provider: z.enum(RECONCILE_PROVIDERS),
});

/** The payload of a `reconcile` timer. */
export type ReconcilePayload = z.output<typeof payload>;

/**
 * `reconcile`: one run of a business's reconciliation with one provider. A run schedules its
 * successor under a key naming itself (`after` = the run's own timer id), so a run fired twice
 * (its lease ran out mid-way) still has one successor; the first run of a chain (at start-up,
 * or when a provider is turned on) is keyed by when it was set, under a per-provider lock.
 */
export const reconcileTimer: TimerKindShape<"reconcile", ReconcilePayload, { businessId: string; provider: ReconcileProvider; after: string }> = {
  kind: "reconcile",
  payload,
  key: ({ businessId, provider, after }) => `reconcile:${businessId}:${provider}:${after}`,
};
