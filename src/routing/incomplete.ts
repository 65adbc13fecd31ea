import { durationMs } from "../domain/duration.ts";
import { isEmergency } from "../domain/lead.ts";
import { workingFirst } from "../domain/on-duty.ts";
import { humanField } from "../domain/copy/offer.ts";
import { intakeNotice } from "../domain/copy/team-notices.ts";
import { incompleteTimer } from "../domain/timers/index.ts";
import { roleOrManager, textMembers } from "../messaging/notify.ts";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import { recordEvent, scheduleTimer, type Work } from "../core/transact.ts";

/**
 * A lead that stays with intake: intake is texted what is missing (once per distinct gap) and
 * a timer escalates it if it is still there after `completeWithin` (an emergency's own,
 * shorter window when it could not be offered). Non-urgent work waits for working hours
 * (CONTRACT §10): the notice goes to the intake members working now, or when none is, waits for
 * each one's next opening. An emergency never waits. `askEnded` says why asking the caller
 * (CONTRACT §15) ended or was not tried, for the history.
 */
export async function noteIncomplete(work: Work, business: BusinessRow, lead: LeadRow, missing: string[], askEnded?: string): Promise<void> {
  const last = lead.rejections.at(-1);
  const body = intakeNotice({
    code: lead.code,
    who: lead.fullName ?? lead.phone ?? "unknown caller",
    channel: lead.channel,
    sentBack: last,
    missing: missing.map(humanField),
  });
  const episode = lead.rejections.length;
  const urgent = isEmergency(lead.urgency);
  const { members, from } = intakeNow(business, lead, work.now);
  await textMembers(work, business, members, {
    body,
    purpose: last ? "rejected" : "incomplete",
    leadId: lead.id,
    key: `intake-notice:${lead.id}:${episode}:${missing.join(",")}`,
    workingHours: !urgent,
  });
  await recordEvent(work, lead.id, "with_intake", "system", {
    missingFields: missing,
    reason: last?.reason ?? null,
    ...(from > work.now && { heldUntil: from.toISOString() }),
    ...(askEnded && { askEnded }),
  });
  await scheduleIncompleteTimer(work, business, lead);
}

/** Who of intake is told now, and from when: everyone at once for an emergency, else those working (or at the first opening). */
function intakeNow(business: BusinessRow, lead: LeadRow, now: Date) {
  const intake = roleOrManager(business.config, "intake", now);
  return isEmergency(lead.urgency) ? { members: intake, from: now } : workingFirst(business.config, intake, now);
}

/**
 * The wake-up that escalates a stay with intake after its window. The first stay's window counts
 * from the lead's creation, even when intake is told later (the caller was asked first); a stay
 * after a rejection counts from now; and non-urgent work outside working hours counts from the
 * first opening of intake (CONTRACT §10), whichever is later. One per stay: scheduling it again
 * changes nothing.
 */
export async function scheduleIncompleteTimer(work: Work, business: BusinessRow, lead: LeadRow): Promise<void> {
  const config = business.config;
  const episode = lead.rejections.length;
  const window = isEmergency(lead.urgency)
    ? durationMs(config.escalation.urgent.acceptWithin)
    : durationMs(config.escalation.incomplete.completeWithin);
  const base = episode === 0 ? lead.createdAt : work.now;
  const opening = intakeNow(business, lead, work.now).from;
  const from = opening > base ? opening : base;
  await scheduleTimer(work, {
    businessId: business.id,
    leadId: lead.id,
    kind: "incomplete",
    dueAt: new Date(from.getTime() + window),
    key: incompleteTimer.key({ leadId: lead.id, episode }),
    payload: { level: 0, episode },
  });
}
