import { lastOffers } from "../core/member-stats.ts";
import type { BusinessRow } from "../core/records.ts";
import type { Work } from "../core/transact.ts";
import type { BusinessConfig, Member } from "../domain/business-config.ts";
import { MANAGER_ROLE } from "../domain/escalation-ladder.ts";
import { holders, pickRoundRobin, withAwayMembers } from "../domain/routing.ts";
import { awayMemberIds } from "../core/member-status.ts";

/**
 * Who an escalation goes to: an available holder of the role other than the current owner
 * (round robin, least recently offered first), else a manager other than the owner, else
 * whoever of them is left (the owner again, rather than nobody).
 */
export async function pickTarget(work: Work, business: BusinessRow, role: string, ownerId: string | null): Promise<{ member: Member; via: string } | null> {
  // Members who texted AWAY are passed over like unavailable ones.
  const config: BusinessConfig = withAwayMembers(business.config, await awayMemberIds(work.tx, business.id));
  const last = await lastOffers(work, business.id);
  const others = ownerId ? [ownerId] : [];
  const tries: [Member[], string][] = [
    [holders(config, role, { excluding: others }), `role:${role}`],
    [holders(config, MANAGER_ROLE, { excluding: others }), `fallback:${MANAGER_ROLE}`],
    [[...holders(config, role), ...holders(config, MANAGER_ROLE)], "fallback:owner"],
  ];
  for (const [candidates, via] of tries) {
    const member = pickRoundRobin(candidates, last);
    if (member) return { member, via };
  }
  return null;
}
