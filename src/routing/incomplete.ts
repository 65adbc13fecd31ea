import { durationMs } from "../domain/duration.ts";
import { isEmergency } from "../domain/lead.ts";
import { humanField } from "../domain/copy/offer.ts";
import { intakeNotice } from "../domain/copy/team-notices.ts";
import { incompleteTimer } from "../domain/timers/index.ts";
import { roleOrManager, textMembers } from "../messaging/notify.ts";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import { recordEvent, scheduleTimer, type Work } from "../core/transact.ts";

/**
 * A lead that stays with intake: intake is texted what is missing (once per distinct gap) and
 * a timer escalates it if it is still there after `completeWithin` (an emergency's own,
 * shorter window when it could not be offered).
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
  await textMembers(work, business, roleOrManager(config, "intake", work.now), {
    body,
    purpose: last ? "rejected" : "incomplete",
    leadId: lead.id,
    key: `intake-notice:${lead.id}:${episode}:${missing.join(",")}`,
  });
  await recordEvent(work, lead.id, "with_intake", "system", { missingFields: missing, reason: last?.reason ?? null });

  const window = isEmergency(lead.urgency)
    ? durationMs(config.escalation.urgent.acceptWithin)
    : durationMs(config.escalation.incomplete.completeWithin);
  await scheduleTimer(work, {
    businessId: business.id,
    leadId: lead.id,
    kind: "incomplete",
    dueAt: new Date(work.now.getTime() + window),
    key: incompleteTimer.key({ leadId: lead.id, episode }),
    payload: { level: 0, episode },
  });
}
