import { eq } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { qaWeekProgress } from "../core/qa-week.ts";
import type { BusinessRow } from "../core/records.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { scheduleTimer, transact, type Work } from "../core/transact.ts";
import { businesses } from "../db/schema/index.ts";
import { qaReminderText } from "../domain/copy/qa-reminder.ts";
import { isoWeekOf, isoWeekRange, nextWeekly } from "../domain/iso-week.ts";
import { qaOf } from "../domain/qa-config.ts";
import { qaReminderTimer, type QaReminderPayload } from "../domain/timers/index.ts";
import { roleOrManager, textMembers } from "../messaging/notify.ts";
import type { FireOutcome } from "./fire-outcome.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/** Sets the business's next QA reminder (`qa.remindOn`) after `after`; one per business and week. */
export async function scheduleNextQaReminder(work: Work, business: BusinessRow, after: Date): Promise<Date> {
  const zone = business.config.timezone;
  const dueAt = nextWeekly(qaOf(business.config).remindOn, zone, after);
  const week = isoWeekOf(dueAt, zone);
  await scheduleTimer(work, {
    businessId: business.id,
    leadId: null,
    kind: "qa-reminder",
    dueAt,
    key: qaReminderTimer.key({ businessId: business.id, week }),
    payload: { week },
  });
  return dueAt;
}

/** Makes sure every business has its next QA reminder scheduled (start-up and the backstop, beside the end-of-day reviews). Idempotent. */
export async function scheduleQaReminders(deps: Deps): Promise<void> {
  const all = await deps.db.select().from(businesses);
  for (const business of all) await transact(deps, (work) => scheduleNextQaReminder(work, business, work.now));
}

/**
 * A QA reminder wake-up: while the week has fewer reviewed handoffs than its target
 * (min(perWeek, handoffs)), the `qa.to` role (else the managers) gets one text, keyed per
 * business and week. A reminder that wakes up in a later week is skipped. The next one is
 * scheduled either way.
 */
export async function runQaReminder(deps: Deps, timer: TimerRow, payload: QaReminderPayload): Promise<FireOutcome> {
  return transact(deps, async (work) => {
    const [business] = await work.tx.select().from(businesses).where(eq(businesses.id, timer.businessId));
    if (!business) return { acted: false, reason: "business no longer exists" };
    const config = business.config;
    await scheduleNextQaReminder(work, business, new Date(Math.max(work.now.getTime(), timer.dueAt.getTime())));
    const now = isoWeekOf(work.now, config.timezone);
    if (now !== payload.week) return { acted: false, reason: `the reminder of ${payload.week} woke up too late (now ${now})` };
    const qa = qaOf(config);
    const { handoffs, reviewed } = await qaWeekProgress(work.tx, business.id, isoWeekRange(payload.week, config.timezone));
    const target = Math.min(qa.perWeek, handoffs);
    if (reviewed >= target) return { acted: false, reason: `${payload.week} is reviewed (${reviewed} of ${target})` };
    await textMembers(work, business, roleOrManager(config, qa.to, work.now), {
      body: qaReminderText({ businessName: config.name, week: payload.week, reviewed, target }),
      purpose: "qa-reminder",
      leadId: null,
      key: `qa-reminder:${business.id}:${payload.week}`,
    });
    return { acted: true, reason: `${reviewed} of ${target} handoffs of ${payload.week} reviewed` };
  });
}

/** The `qa-reminder` kind: its key and payload (domain/timers/qa-reminder-timer.ts), fired by runQaReminder. */
export const qaReminderKind: TimerKindModule<"qa-reminder"> = { ...qaReminderTimer, fire: runQaReminder };
