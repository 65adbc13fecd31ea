import { z } from "zod";
import type { TimerKindShape } from "./timer-kind.ts";

const payload = z.object({
  /** The ISO week (business zone) the reminder is about, e.g. `2026-W49`. */
  week: z.string(),
});

/** The payload of a `qa-reminder` timer. */
export type QaReminderPayload = z.output<typeof payload>;

/** `qa-reminder`: the weekly QA reminder of a business (CONTRACT §12); one per business and week. */
export const qaReminderTimer: TimerKindShape<"qa-reminder", QaReminderPayload, { businessId: string; week: string }> = {
  kind: "qa-reminder",
  payload,
  key: ({ businessId, week }) => `qa-reminder:${businessId}:${week}`,
};
