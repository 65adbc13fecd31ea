import type { BusinessConfig, Member } from "../domain/business-config.ts";
import type { MessagePurpose } from "../domain/outbox-message.ts";
import { customerTextSendAt } from "../domain/quiet-hours.ts";
import { workingSendAt } from "../domain/on-duty.ts";
import { holders } from "../domain/routing.ts";
import type { BusinessRow } from "../core/records.ts";
import { queueMessage, type Work } from "../core/transact.ts";

/** Members who hold a role at `at` (the one on duty, for a scheduled role), or the managers when nobody available does. */
export function roleOrManager(config: BusinessConfig, role: string, at: Date): Member[] {
  const members = holders(config, role, { at });
  return members.length ? members : holders(config, "manager", { at });
}

/**
 * Queues one SMS to every member given (keyed per member so a retry sends once). `workingHours`:
 * non-urgent work (CONTRACT §10), so each text waits for its member's next opening when they are
 * not working now.
 */
export async function textMembers(
  work: Work,
  business: BusinessRow,
  members: Member[],
  message: { body: string; purpose: MessagePurpose; leadId: string | null; key: string; workingHours?: boolean },
): Promise<void> {
  for (const member of members) {
    await queueMessage(work, {
      businessId: business.id,
      leadId: message.leadId,
      memberId: member.id,
      to: member.phone,
      channel: "sms",
      body: message.body,
      purpose: message.purpose,
      key: `${message.key}:${member.id}:sms`,
      sendAfter: message.workingHours ? workingSendAt(business.config, member, work.now) : null,
    });
  }
}

/**
 * Queues an automated SMS to a customer, the one place customer texts are queued: it is held
 * until the business's quiet hours end unless it answers the customer's own contact of the last
 * 15 minutes (CONTRACT §9). The outbox suppresses it for an opted-out number.
 */
export async function textCustomer(
  work: Work,
  business: BusinessRow,
  message: { to: string; body: string; purpose: MessagePurpose; leadId: string | null; key: string; lastContactAt: Date | null },
): Promise<string | null> {
  return queueMessage(work, {
    businessId: business.id,
    leadId: message.leadId,
    to: message.to,
    channel: "sms",
    body: message.body,
    purpose: message.purpose,
    key: message.key,
    sendAfter: customerTextSendAt(business.config, work.now, message.lastContactAt),
  });
}

/** A team member by id, when the business has one. */
export const memberById = (config: BusinessConfig, id: string | null) =>
  id ? config.team.find((m) => m.id === id) ?? null : null;
