import { TZDate } from "@date-fns/tz";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import { cancelLeadTimers, scheduleTimer, type Work } from "../core/transact.ts";
import { followUpTimer, nextActionDueTimer } from "../domain/timers/index.ts";

/**
 * Sets the reminder of a next action just recorded (due at `dueAt`, recorded now): the earlier
 * reminders and overdue notices of the lead stop mattering, since a new plan replaces the old.
 */
export async function scheduleNextActionReminder(work: Work, lead: LeadRow, dueAt: Date): Promise<void> {
  await cancelLeadTimers(work, lead.id, ["next-action-due", "overdue"]);
  await scheduleTimer(work, {
    businessId: lead.businessId,
    leadId: lead.id,
    kind: "next-action-due",
    dueAt,
    key: nextActionDueTimer.key({ leadId: lead.id, setAt: work.now }),
    payload: { dueAt: dueAt.toISOString(), setAt: work.now.toISOString() },
  });
}

/**
 * An estimate's or consult's follow-up date reminds its owner when the business opens that day
 * (SOP "Estimate leads need both an owner and a target follow-up date"). Nothing is set for a
 * date whose opening has passed, or a lead of another kind.
 */
export async function scheduleFollowUp(work: Work, business: BusinessRow, lead: LeadRow): Promise<void> {
  if (!lead.followUpDate || (lead.leadType !== "estimate" && lead.leadType !== "consult")) return;
  const [y, m, d] = lead.followUpDate.split("-").map(Number) as [number, number, number];
  const [hour = 0, minute = 0] = business.config.hours.open.split(":").map(Number);
  const dueAt = new Date(new TZDate(y, m - 1, d, hour, minute, business.config.timezone).getTime());
  if (dueAt <= work.now) return;
  await cancelLeadTimers(work, lead.id, ["follow-up"]);
  await scheduleTimer(work, {
    businessId: lead.businessId,
    leadId: lead.id,
    kind: "follow-up",
    dueAt,
    key: followUpTimer.key({ leadId: lead.id, date: lead.followUpDate, since: work.now }),
    payload: { date: lead.followUpDate, since: work.now.toISOString() },
  });
}
