import { lastOffers } from "../core/member-stats.ts";
import type { BusinessRow } from "../core/records.ts";
import type { Work } from "../core/transact.ts";
import type { BusinessConfig, Member } from "../domain/business-config.ts";
import { MANAGER_ROLE } from "../domain/escalation-ladder.ts";
import { holders, pickRoundRobin, withAwayMembers } from "../domain/routing.ts";
import { awayMemberIds } from "../core/member-status.ts";

/** After the rung's own role, the chain an escalation climbs (CONTRACT §10). */
const CHAIN = ["office_lead", MANAGER_ROLE, "on_call"];

export interface EscalationTarget {
  member: Member;
  via: string;
  /** Who the climb passed over and why (the lead's holder is never its own escalation). */
  skipped: { memberId: string; role: string; why: string }[];
}

/**
 * Who an escalation goes to: a holder of the rung's role at this instant (the one on duty, for
 * a scheduled role; round robin among several), never the member who holds the lead; when the
 * role has nobody else, up the chain office_lead → manager → on_call. Null when nobody but the
 * holder is left: the lead is not escalated back to the person sitting on it.
 */
export async function pickTarget(work: Work, business: BusinessRow, role: string, ownerId: string | null): Promise<EscalationTarget | null> {
  // Members who texted AWAY are passed over like unavailable ones.
  const config: BusinessConfig = withAwayMembers(business.config, await awayMemberIds(work.tx, business.id));
  const last = await lastOffers(work, business.id);
  const skipped: EscalationTarget["skipped"] = [];
  const roles = [role, ...CHAIN.filter((r) => r !== role)];
  for (const [i, r] of roles.entries()) {
    const all = holders(config, r, { at: work.now });
    const others = all.filter((m) => m.id !== ownerId);
    if (ownerId && all.some((m) => m.id === ownerId)) skipped.push({ memberId: ownerId, role: r, why: "holds the lead" });
    const member = pickRoundRobin(others, last);
    if (member) return { member, via: i === 0 ? `role:${r}` : `fallback:${r}`, skipped };
  }
  return null;
}
