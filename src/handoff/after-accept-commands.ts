import type { Member } from "../domain/business-config.ts";
import {
  acceptFirstReply,
  closedReply,
  leadClosedReply,
  nextNeedsActionReply,
  nextNeedsTimeReply,
  nextPastReply,
  nextSetReply,
  noOwnedLeadReply,
  notAcceptedYetReply,
  noteAddedReply,
  noteNeedsTextReply,
  outcomeListReply,
  reassignOfferedReply,
  reassignRedirectedReply,
  reassignToOwnerReply,
  reassignUsageReply,
  severalOwnedReply,
} from "../domain/copy/after-accept-replies.ts";
import { notYoursReply } from "../domain/copy/command-replies.ts";
import { IllegalTransition } from "../domain/errors.ts";
import { outcomeOf } from "../domain/lead.ts";
import { readDueTime } from "../domain/next-action-time.ts";
import type { SmsCommand } from "../domain/sms-command.ts";
import type { Deps } from "../core/deps.ts";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import { memberById } from "../messaging/notify.ts";
import { addNote, setNextAction } from "./after-accept-actions.ts";
import { allOutcomes, closeLead, isNotYours, reassignLead } from "./lead-actions.ts";
import { leadByCode, leadsOf } from "./member-leads.ts";

/** Roles that may act on any lead of the business, not only their own (CONTRACT §9). */
export const SUPERVISOR_ROLES = ["manager", "office_lead", "dispatch"] as const;

const isSupervisor = (member: Member) => member.roles.some((r) => (SUPERVISOR_ROLES as readonly string[]).includes(r));

type AfterAcceptCommand = Extract<SmsCommand, { kind: "next" | "note" | "done" | "reassign" }>;

/** What the command did: its one reply, and the lead it was about. */
export interface AfterAcceptOutcome {
  reply: string;
  leadId: string | null;
}

const VERB: Record<AfterAcceptCommand["kind"], string> = { next: "NEXT", note: "NOTE", done: "DONE", reassign: "REASSIGN" };

/**
 * NEXT, NOTE, DONE and REASSIGN by text (CONTRACT §9). The lead is the one the code names, or with
 * no code the sender's only accepted lead. The owner may act on it, and so may a manager, office
 * lead or dispatcher on any lead of the business; on a lead still offered to the sender the answer
 * is "ACCEPT first". Anything else (unknown code, another business's lead, someone else's) gets
 * the same "isn't waiting for you" and changes nothing.
 */
export async function runAfterAccept(
  deps: Deps,
  { business, member, command }: { business: BusinessRow; member: Member; command: AfterAcceptCommand },
): Promise<AfterAcceptOutcome> {
  const target = await leadToWorkOn(deps, business, member, command.code, VERB[command.kind]);
  if ("reply" in target) return { reply: target.reply, leadId: target.leadId ?? null };
  const { lead } = target;
  const done = (reply: string) => ({ reply, leadId: lead.id });
  try {
    return done(await carryOut(deps, business, member, lead, command));
  } catch (err) {
    // The lead changed between the look-up and the lock (closed, reassigned): say what it is now.
    if (err instanceof IllegalTransition && err.from === "closed") return done(leadClosedReply(lead.code));
    if (err instanceof IllegalTransition && command.kind === "next") return done(notAcceptedYetReply(lead.code));
    if (isNotYours(err)) return done(notYoursReply(lead.code));
    throw err;
  }
}

async function carryOut(deps: Deps, business: BusinessRow, member: Member, lead: LeadRow, command: AfterAcceptCommand): Promise<string> {
  const config = business.config;
  const now = deps.clock.now();
  const time = { timeZone: config.timezone, now };
  const author = { by: member.id, via: "sms" };
  const code = lead.code;
  switch (command.kind) {
    case "next": {
      if (lead.state !== "accepted") return notAcceptedYetReply(code);
      if (!command.text) return nextNeedsTimeReply(code);
      const reading = readDueTime(command.text, config, now);
      if (reading.kind === "no-time") return nextNeedsTimeReply(code);
      if (reading.kind === "past") return nextPastReply({ code, dueAt: reading.dueAt, ...time });
      if (!reading.rest) return nextNeedsActionReply(code);
      await setNextAction(deps, lead.id, author, { action: reading.rest, dueAt: reading.dueAt });
      return nextSetReply({ code, action: reading.rest, dueAt: reading.dueAt, ...time });
    }
    case "note": {
      if (!command.text) return noteNeedsTextReply(code);
      await addNote(deps, lead.id, author, command.text);
      return noteAddedReply({ code, text: command.text });
    }
    case "done": {
      const outcome = command.outcome ? outcomeOf(command.outcome, config.outcomes) : null;
      if (!outcome) return outcomeListReply({ code, outcomes: allOutcomes(config), given: command.outcome });
      await closeLead(deps, lead.id, outcome, `member:${member.id}`, command.words ?? undefined);
      return closedReply({ code, outcome });
    }
    case "reassign": {
      if (lead.state === "intake") return notAcceptedYetReply(code);
      if (!command.target || !command.reason) return reassignUsageReply({ code });
      const to = memberNamed(config.team, command.target);
      if (!to) return reassignUsageReply({ code, unknownName: command.target });
      const ownerName = memberById(config, lead.ownerId)?.name ?? lead.ownerId ?? "its owner";
      if (to.id === lead.ownerId && lead.state === "accepted") return reassignToOwnerReply({ code, ownerName });
      await reassignLead(deps, lead.id, to.id, command.reason, `member:${member.id}`);
      if (lead.state !== "accepted") return reassignRedirectedReply({ code, to: to.name });
      return reassignOfferedReply({ code, to: to.name, ownerName, byOwner: lead.ownerId === member.id });
    }
  }
}

/** A team member by id or first name, as a member types it ("sam", "Sam"); null when none or several match. */
export function memberNamed(team: readonly Member[], typed: string): Member | null {
  const wanted = typed.trim().toLowerCase();
  const byId = team.find((m) => m.id.toLowerCase() === wanted);
  if (byId) return byId;
  const byFirst = team.filter((m) => (m.name.trim().split(/\s+/)[0] ?? "").toLowerCase() === wanted);
  return byFirst.length === 1 ? byFirst[0]! : null;
}

/** The lead a command is about, or the reply that says why there is none to act on. */
async function leadToWorkOn(
  deps: Deps,
  business: BusinessRow,
  member: Member,
  code: number | null,
  verb: string,
): Promise<{ lead: LeadRow } | { reply: string; leadId?: string }> {
  if (code === null) {
    const { waiting, owned } = await leadsOf(deps.db, business.id, member.id);
    if (owned.length === 1) return { lead: owned[0]! };
    if (owned.length > 1) return { reply: severalOwnedReply({ codes: owned.map((l) => l.code), verb }) };
    if (waiting.length === 1) return { reply: acceptFirstReply(waiting[0]!.code), leadId: waiting[0]!.id };
    return { reply: noOwnedLeadReply(verb) };
  }
  const lead = await leadByCode(deps.db, business.id, code);
  if (!lead) return { reply: notYoursReply(code) };
  const offeredToMe = (lead.state === "offered" && lead.offeredTo.includes(member.id)) || (lead.state === "accepted" && lead.pendingOwnerId === member.id);
  const mine = lead.ownerId === member.id && lead.state !== "offered";
  const supervisor = isSupervisor(member);
  if (lead.state === "closed") return { reply: mine || supervisor ? leadClosedReply(code) : notYoursReply(code), leadId: lead.id };
  if (offeredToMe) return { reply: acceptFirstReply(code), leadId: lead.id };
  if ((mine && lead.state === "accepted") || supervisor) return { lead };
  return { reply: notYoursReply(code) };
}
