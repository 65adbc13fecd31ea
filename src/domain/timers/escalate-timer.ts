import { z } from "zod";
import type { TimerKindShape } from "./timer-kind.ts";

const payload = z.object({
  /** The ladder level the lead was at when the wake-up was set. */
  level: z.number().int().min(0).catch(0),
  /** The offer this wake-up belongs to; a re-offer since makes it stale. */
  offeredAt: z.iso.datetime().optional().catch(undefined),
  /** For "no movement" classes: movement after this instant counts. Defaults to offeredAt. */
  since: z.iso.datetime().optional().catch(undefined),
  /** The escalation class when it was set; for the record (the firing re-reads the lead). */
  class: z.string().optional().catch(undefined),
});

/** The payload of an `escalate` timer. */
export type EscalatePayload = z.output<typeof payload>;

/**
 * `escalate`: an offered lead's acceptance window (or a rung's) runs out. One per offer and
 * level; an estimate that moved is looked at again under a key naming the movement.
 */
export const escalateTimer: TimerKindShape<"escalate", EscalatePayload, { leadId: string; offeredAt: Date; level: number; movedAt?: Date }> = {
  kind: "escalate",
  payload,
  key: ({ leadId, offeredAt, level, movedAt }) =>
    `escalate:${leadId}:${offeredAt.getTime()}:${level}${movedAt ? `:moved:${movedAt.getTime()}` : ""}`,
};
