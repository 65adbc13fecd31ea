import type { BusinessRow } from "../core/records.ts";
import { MemberNotFound } from "../domain/errors.ts";
import { memberById } from "../messaging/notify.ts";

/** Who acts, and how they reached us ("api", "sms", "voice"). */
export interface Actor {
  memberId: string;
  via: string;
}

/** How an actor is written in a lead's history. */
export const actorName = (a: Actor) => `member:${a.memberId}`;

/** The business's member by id; MemberNotFound when it has none. */
export function requireMember(business: BusinessRow, memberId: string) {
  const member = memberById(business.config, memberId);
  if (!member) throw new MemberNotFound(memberId, business.config.slug);
  return member;
}
