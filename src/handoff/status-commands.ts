import { and, eq, inArray } from "drizzle-orm";
import type { BusinessConfig, Member } from "../domain/business-config.ts";
import { awayReply, backReply, whoReply } from "../domain/copy/after-accept-replies.ts";
import { shiftCoverNotice } from "../domain/copy/team-notices.ts";
import { OPEN_STATES } from "../domain/lead.ts";
import { holders, withAwayMembers } from "../domain/routing.ts";
import { leads } from "../db/schema/index.ts";
import type { Deps } from "../core/deps.ts";
import { awayMemberIds, setMemberAway } from "../core/member-status.ts";
import type { BusinessRow } from "../core/records.ts";
import { recordEvent, transact, type Work } from "../core/transact.ts";
import { textMembers } from "../messaging/notify.ts";

/** Roles whose holder going AWAY must hear who covers for them: urgent work cannot sit unowned. */
const COVERED_ROLES = ["on_call"];

/** A role the member held that passed to someone else (AWAY), or came back to them (BACK). */
interface Handover {
  role: string;
  /** Who holds it while the member is away: the next in the rotation, else the manager. */
  cover: Member | null;
  /** The cover is the manager standing in: nobody else holds the role. */
  byManager: boolean;
}

/** The roles a member holds now that someone must cover: every scheduled role they are on duty for, and on_call. */
function coveredRoles(config: BusinessConfig): string[] {
  return [...new Set([...COVERED_ROLES, ...(config.schedules ?? []).map((s) => s.role)])];
}

/**
 * Who takes each covered role the member holds at `at` while they are away (`without`: the
 * config with them away): the next holder (the next in the rotation, for a scheduled role), or
 * the manager when nobody else holds it.
 */
function handovers(withMember: BusinessConfig, without: BusinessConfig, member: Member, at: Date): Handover[] {
  return coveredRoles(withMember)
    .filter((role) => holders(withMember, role, { at }).some((m) => m.id === member.id))
    .map((role) => {
      const next = holders(without, role, { at, excluding: [member.id] })[0];
      if (next) return { role, cover: next, byManager: false };
      return { role, cover: holders(without, "manager", { at, excluding: [member.id] })[0] ?? null, byManager: true };
    });
}

/**
 * AWAY, BACK and WHO (CONTRACT §9, §10). AWAY and BACK are a runtime status in the database, not
 * the config, so an apply does not undo them; routing and escalation skip an away member. An
 * on-duty member going AWAY hands each role they hold (a scheduled role, or on_call) to the
 * next in the rotation, or the manager when nobody else, who is texted; BACK takes it back and
 * tells the cover. The change, with who covers, is written in the history of each open lead the
 * member owns. WHO answers who holds on_call now: the one on duty for a scheduled role, else its
 * available holders, less anyone away.
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
    const others = await awayMemberIds(work.tx, business.id);
    others.delete(member.id);
    const present = withAwayMembers(business.config, others);
    const absent = withAwayMembers(business.config, new Set([...others, member.id]));
    const handed = handovers(present, absent, member, work.now);
    const changed = await setMemberAway(work, business.id, member.id, away);
    if (changed) {
      const detail = { via: "sms", ...(handed.length > 0 && { [away ? "handedTo" : "tookBackFrom"]: handed.map((h) => ({ role: h.role, memberId: h.cover?.id ?? null })) }) };
      const owned = await work.tx
        .select({ id: leads.id })
        .from(leads)
        .where(and(eq(leads.businessId, business.id), eq(leads.ownerId, member.id), inArray(leads.state, [...OPEN_STATES])));
      for (const lead of owned) await recordEvent(work, lead.id, away ? "member_away" : "member_back", `member:${member.id}`, detail);
      await tellCovers(work, business, member, handed, !away);
    }
    if (!away) return backReply();
    return awayReply({ covers: handed.map((h) => ({ role: h.role, name: h.byManager ? null : (h.cover?.name ?? null) })) });
  });
}

/** Each cover hears that they hold the role now (AWAY), or no longer (BACK). */
async function tellCovers(work: Work, business: BusinessRow, member: Member, handed: Handover[], back: boolean): Promise<void> {
  for (const h of handed) {
    if (!h.cover) continue;
    await textMembers(work, business, [h.cover], {
      body: shiftCoverNotice({ role: h.role, from: member.name, back }),
      purpose: "shift-cover",
      leadId: null,
      key: `shift-cover:${business.id}:${member.id}:${h.role}:${back ? "back" : "away"}:${work.now.getTime()}`,
    });
  }
}
