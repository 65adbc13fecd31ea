import { z } from "zod";
import type { TimerKindShape } from "./timer-kind.ts";

const payload = z.object({
  /** The schedule whose shift starts. */
  scheduleId: z.string(),
  /** When the shift starts (ISO): a boundary of the schedule as planned. */
  startsAt: z.string(),
});

/** The payload of a `shift-start` timer. */
export type ShiftStartPayload = z.output<typeof payload>;

/**
 * `shift-start`: the member on duty at a schedule's next shift boundary is texted (CONTRACT §10).
 * One per schedule and start instant; each firing plans the next, and an apply re-plans them all.
 */
export const shiftStartTimer: TimerKindShape<"shift-start", ShiftStartPayload, { businessId: string; scheduleId: string; startsAt: Date }> = {
  kind: "shift-start",
  payload,
  key: ({ businessId, scheduleId, startsAt }) => `shift-start:${businessId}:${scheduleId}:${startsAt.toISOString()}`,
};
