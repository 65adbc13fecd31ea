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
 * shorter window when it could not be offered). `askEnded` says why asking the caller
 * (CONTRACT §15) ended or was not tried, for the history.
 */
export async function noteIncomplete(work: Work, business: BusinessRow, lead: LeadRow, missing: string[], askEnded?: string): Promise<void> {
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
  await recordEvent(work, lead.id, "with_intake", "system", { missingFields: missing, reason: last?.reason ?? null, ...(askEnded && { askEnded }) });
  await scheduleIncompleteTimer(work, business, lead);
}

/**
 * The wake-up that escalates a stay with intake after its window. The first stay's window counts
 * from the lead's creation, even when intake is told later (the caller was asked first); a stay
 * after a rejection counts from now. One per stay: scheduling it again changes nothing.
 */
export async function scheduleIncompleteTimer(work: Work, business: BusinessRow, lead: LeadRow): Promise<void> {
  const config = business.config;
  const episode = lead.rejections.length;
  const window = isEmergency(lead.urgency)
    ? durationMs(config.escalation.urgent.acceptWithin)
    : durationMs(config.escalation.incomplete.completeWithin);
  const from = episode === 0 ? lead.createdAt : work.now;
  await scheduleTimer(work, {
    businessId: business.id,
    leadId: lead.id,
    kind: "incomplete",
    dueAt: new Date(from.getTime() + window),
    key: incompleteTimer.key({ leadId: lead.id, episode }),
    payload: { level: 0, episode },
  });
}
