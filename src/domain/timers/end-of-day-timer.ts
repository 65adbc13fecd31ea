import { z } from "zod";
import type { TimerKindShape } from "./timer-kind.ts";

const payload = z.object({
  /** The business date (yyyy-mm-dd, in its zone) the review is for. */
  date: z.string().optional().catch(undefined),
});

/** The payload of an `end-of-day` timer. */
export type EndOfDayPayload = z.output<typeof payload>;

/** `end-of-day`: a business's review of open leads with no next action; one per business and date. */
export const endOfDayTimer: TimerKindShape<"end-of-day", EndOfDayPayload, { businessId: string; date: string }> = {
  kind: "end-of-day",
  payload,
  key: ({ businessId, date }) => `end-of-day:${businessId}:${date}`,
};
