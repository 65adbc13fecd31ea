import { z } from "zod";
import { durationProblem } from "./duration.ts";

/** Shared field schemas of a business config, each with the reason an operator sees when it fails. */

/** `90s`, `5m`, `1h30m`, `2d`, `1w`: above zero and at most a year (CONTRACT §2). */
export const duration = z
  .string()
  .superRefine((value, ctx) => {
    const problem = durationProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  // For editors: the syntax (the year bound is checked on apply).
  .meta({ description: "90s, 5m, 1h, 1h30m, 2d, 1w: above zero, at most a year", minLength: 2, pattern: "^\\s*(\\d+[wW])?(\\d+[dD])?(\\d+[hH])?(\\d+[mM])?(\\d+[sS])?\\s*$" });

export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "use 24-hour HH:MM");

export const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "not an IANA time zone (e.g. America/Chicago)" },
);

/** Member ids and role names. */
export const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, - and _");

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** One value of a closed set; anything else could never match, so it is refused with the set named. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `must be one of ${values.join(", ")}` });
