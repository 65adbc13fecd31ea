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
 * each one's next opening, and the window counts from the first opening. An emergency never waits.
 */
export async function noteIncomplete(work: Work, business: BusinessRow, lead: LeadRow, missing: string[]): Promise<void> {
  const config = business.config;
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
  const intake = roleOrManager(config, "intake", work.now);
  const { members, from } = urgent ? { members: intake, from: work.now } : workingFirst(config, intake, work.now);
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
  });

  const window = urgent ? durationMs(config.escalation.urgent.acceptWithin) : durationMs(config.escalation.incomplete.completeWithin);
  await scheduleTimer(work, {
    businessId: business.id,
    leadId: lead.id,
    kind: "incomplete",
    dueAt: new Date(from.getTime() + window),
    key: incompleteTimer.key({ leadId: lead.id, episode }),
    payload: { level: 0, episode },
  });
}
