import { z } from "zod";
import type { TimerKindShape } from "./timer-kind.ts";

const payload = z.object({
  /** The level reached with intake when the wake-up was set. */
  level: z.number().int().min(0).catch(0),
  /** Which stay with intake (the lead's rejections so far); absent on timers set before it was stored. */
  episode: z.number().int().min(0).optional().catch(undefined),
});

/** The payload of an `incomplete` timer. */
export type IncompletePayload = z.output<typeof payload>;

/**
 * `incomplete`: a lead is still with intake after its window. The first wake-up of a stay is
 * keyed by the stay alone, each rung after it by stay and level.
 */
export const incompleteTimer: TimerKindShape<"incomplete", IncompletePayload, { leadId: string; episode: number; level?: number }> = {
  kind: "incomplete",
  payload,
  key: ({ leadId, episode, level }) => `incomplete:${leadId}:${episode}${level === undefined ? "" : `:${level}`}`,
};

/**
 * The stay a timer belongs to, from its payload; timers written before the payload carried it
 * have it only in their key (`incomplete:<lead>:<episode>[:<level>]`).
 */
export function incompleteEpisode(payload: IncompletePayload, dedupeKey: string): number {
  return payload.episode ?? Number(dedupeKey.split(":")[2] ?? 0);
}
