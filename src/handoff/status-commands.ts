import { and, eq, inArray } from "drizzle-orm";
import type { Member } from "../domain/business-config.ts";
import { awayReply, backReply, whoReply } from "../domain/copy/after-accept-replies.ts";
import { OPEN_STATES } from "../domain/lead.ts";
import { holders, withAwayMembers } from "../domain/routing.ts";
import { leads } from "../db/schema/index.ts";
import type { Deps } from "../core/deps.ts";
import { awayMemberIds, setMemberAway } from "../core/member-status.ts";
import type { BusinessRow } from "../core/records.ts";
import { recordEvent, transact } from "../core/transact.ts";

/** Roles whose holder going AWAY must hear who covers for them: urgent work cannot sit unowned. */
const COVERED_ROLES = ["on_call"];

/**
 * AWAY, BACK and WHO (CONTRACT §9). AWAY and BACK are a runtime status in the database, not the
 * config, so an apply does not undo them; routing and escalation skip an away member. The change
 * is written in the history of each open lead the member owns. WHO answers who holds on_call
 * now: the one on duty for a scheduled role, else its available holders, less anyone away.
 */
export async function runStatusCommand(deps: Deps, { business, member, command }: { business: BusinessRow; member: Member; command: "away" | "back" | "who" }): Promise<string> {
  if (command === "who") {
    const config = withAwayMembers(business.config, await awayMemberIds(deps.db, business.id));
    // Who holds on_call now: the member on duty where a schedule names one (CONTRACT §10), else
    // every available holder of the role; anyone who texted AWAY is passed over.
    const at = deps.clock.now();
    const manager = holders(config, "manager", { at })[0] ?? null;
    return whoReply({ onCall: holders(config, "on_call", { at }), manager });
  }
  const away = command === "away";
  return transact(deps, async (work) => {
    const changed = await setMemberAway(work, business.id, member.id, away);
    if (changed) {
      const owned = await work.tx
        .select({ id: leads.id })
        .from(leads)
        .where(and(eq(leads.businessId, business.id), eq(leads.ownerId, member.id), inArray(leads.state, [...OPEN_STATES])));
      for (const lead of owned) await recordEvent(work, lead.id, away ? "member_away" : "member_back", `member:${member.id}`, { via: "sms" });
    }
    if (!away) return backReply();
    const config = withAwayMembers(business.config, await awayMemberIds(work.tx, business.id));
    const covers = COVERED_ROLES.filter((role) => member.roles.includes(role)).map((role) => ({
      role,
      name: holders(config, role, { at: work.now, excluding: [member.id] })[0]?.name ?? null,
    }));
    return awayReply({ covers });
  });
}
