import { z } from "zod";
import { clockTime, DAYS, duration, id } from "./config-fields.ts";
import { boundedDate, boundedDateTimeText } from "./date-bounds.ts";
import { durationMs } from "./duration.ts";

// Who is on duty (CONTRACT §10): member hours and time off, closed dates, and on-call rotations
// with overrides. The rules that read them are in on-duty.ts.

const DAY_MS = 86_400_000;

/** A span of time with offsets: `from` up to (not including) `to`. */
export const periodSchema = z
  .strictObject({ from: boundedDateTimeText(), to: boundedDateTimeText() })
  .refine((p) => Date.parse(p.to) > Date.parse(p.from), { message: "to must be after from", path: ["to"] });

/** Working hours: the days and the open and close times, in the business's zone. */
export const hoursSchema = z
  .strictObject({ days: z.array(z.enum(DAYS)).min(1), open: clockTime, close: clockTime })
  .refine((h) => h.open < h.close, { message: "open must be before close", path: ["close"] });

/** "mon 08:00" (weekly and longer rotations) or "08:00" (shorter ones). */
const HANDOFF = /^(?:(mon|tue|wed|thu|fri|sat|sun) )?([01]\d|2[0-3]):[0-5]\d$/;

export const rotationSchema = z
  .strictObject({
    every: duration.describe("How long each shift lasts: 1d, 1w, 2w, 12h …"),
    handoff: z
      .string()
      .regex(HANDOFF, 'the weekday and time shifts change, e.g. "mon 08:00", or "08:00" alone for rotations shorter than a week')
      .describe('When shifts change, in the business\'s zone: "mon 08:00", or "08:00" for rotations shorter than a week'),
    members: z.array(id).min(1).describe("In turn, the first holding the first shift"),
    start: boundedDate()
      .optional()
      .describe("The date of the first shift (members[0]'s). Left out, the first apply sets it to the shift under way, and later applies keep it while the rotation is unchanged"),
  })
  .superRefine((r, ctx) => {
    const ms = safeDuration(r.every);
    const weekday = HANDOFF.exec(r.handoff)?.[1];
    if (ms === null || !HANDOFF.test(r.handoff)) return;
    if (ms >= 7 * DAY_MS && !weekday) ctx.addIssue({ code: "custom", path: ["handoff"], message: 'a rotation of a week or more hands off on a weekday: use e.g. "mon 08:00"' });
    if (ms < 7 * DAY_MS && weekday) ctx.addIssue({ code: "custom", path: ["handoff"], message: 'a rotation shorter than a week hands off every shift: use a time alone, e.g. "08:00"' });
    if (ms >= DAY_MS && ms % DAY_MS !== 0) ctx.addIssue({ code: "custom", path: ["every"], message: "a rotation of a day or more lasts whole days (1d, 2d, 1w…)" });
    if (ms < DAY_MS && DAY_MS % ms !== 0) ctx.addIssue({ code: "custom", path: ["every"], message: "a rotation shorter than a day divides the day evenly (6h, 8h, 12h…)" });
    if (weekday && r.start && weekdayOf(r.start) !== weekday) {
      ctx.addIssue({ code: "custom", path: ["start"], message: `${r.start} is not a ${weekday}, the rotation's handoff day` });
    }
  });

export const overrideSchema = z
  .strictObject({ member: id, from: boundedDateTimeText(), to: boundedDateTimeText() })
  .refine((o) => Date.parse(o.to) > Date.parse(o.from), { message: "to must be after from", path: ["to"] });

export const scheduleSchema = z.strictObject({
  id: id.describe("Names the schedule in the API and its calendar feed"),
  role: id.describe("The role the member on duty holds, e.g. on_call"),
  rotation: rotationSchema,
  overrides: z.array(overrideSchema).default([]).describe("Who holds the role instead, for a while; a later override wins over an earlier one"),
});

export type Rotation = z.output<typeof rotationSchema>;
export type Schedule = z.output<typeof scheduleSchema>;
export type Period = z.output<typeof periodSchema>;

function safeDuration(value: string): number | null {
  try {
    return durationMs(value);
  } catch {
    return null;
  }
}

/** The weekday (mon…sun) of a YYYY-MM-DD date. */
export function weekdayOf(date: string): (typeof DAYS)[number] {
  const sundayFirst = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
  return sundayFirst[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
}
