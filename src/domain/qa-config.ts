import { z } from "zod";
import { DAYS, id } from "./config-fields.ts";

/** `fri 15:00`: a weekday and a 24-hour time, in the business's zone. */
export const WEEKLY_TIME = /^(mon|tue|wed|thu|fri|sat|sun) ([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The SOP's weekly QA review (CONTRACT §12): how many handoffs a week are sampled, who reviews
 * them, and when that role is reminded while the week is short of reviews.
 */
export const qaSchema = z
  .strictObject({
    /** Handoffs sampled (and to be reviewed) per ISO week. */
    perWeek: z.number().int().min(1).max(50).default(5).describe("Handoffs sampled and to be reviewed each ISO week (SOP: at least five)"),
    /** The role texted while the week has fewer reviews than its sample. */
    to: id.default("manager").describe("Role reminded while the week's sample is not yet reviewed"),
    /** When that reminder goes out, in the business's zone. */
    remindOn: z
      .string()
      .regex(WEEKLY_TIME, `a weekday (${DAYS.join(", ")}) and a 24-hour time, e.g. "fri 15:00"`)
      .default("fri 15:00")
      .describe("Weekday and time (business zone) of the reminder, e.g. \"fri 15:00\""),
  })
  .prefault({});

export type QaConfig = z.output<typeof qaSchema>;

/** The QA settings of a stored config, which may predate them. */
export function qaOf(config: { qa?: Partial<QaConfig> }): QaConfig {
  return { perWeek: config.qa?.perWeek ?? 5, to: config.qa?.to ?? "manager", remindOn: config.qa?.remindOn ?? "fri 15:00" };
}
