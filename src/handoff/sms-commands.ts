import type { Member } from "../domain/business-config.ts";
import {
  acceptedReply,
  alreadyAcceptedReply,
  alreadyYoursReply,
  helpReply,
  listReply,
  noneWaitingReply,
  notUnderstoodReply,
  notYoursReply,
  rejectAfterAcceptReply,
  rejectedReply,
  rejectNeedsReasonReply,
  severalWaitingReply,
} from "../domain/copy/command-replies.ts";
import { reassignDeclinedReply } from "../domain/copy/after-accept-replies.ts";
import { parseSmsCommand } from "../domain/sms-command.ts";
import { memberById } from "../messaging/notify.ts";
import { runAfterAccept } from "./after-accept-commands.ts";
import { leadByCode, leadsOf } from "./member-leads.ts";
import { runStatusCommand } from "./status-commands.ts";
import type { Deps } from "../core/deps.ts";
import { acceptLead, rejectLead, type Actor } from "./lead-actions.ts";
import { refusal } from "./refusal.ts";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import { queueMessage, transact } from "../core/transact.ts";

/** A text from a team member's phone (CONTRACT §5). */
export interface MemberText {
  business: BusinessRow;
  member: Member;
  text: string;
  /** Twilio's MessageSid: keys the one reply, so a redelivery cannot send a second. */
  messageSid: string;
}

/** What a command did: the reply it sent and the lead it was about, if any. */
export interface CommandOutcome {
  command: string;
  reply: string;
  leadId: string | null;
}

/**
 * Carries out an owner's command and queues exactly one short reply (purpose "reply"). Commands
 * only ever see leads of this business offered to (or owned by) the sender; anything else gets
 * the same "isn't waiting for you" answer and changes nothing.
 */
export async function runMemberCommand(deps: Deps, input: MemberText): Promise<CommandOutcome> {
  const outcome = await decide(deps, input);
  await transact(deps, (work) =>
    queueMessage(work, {
      businessId: input.business.id,
      leadId: outcome.leadId,
      memberId: input.member.id,
      to: input.member.phone,
      channel: "sms",
      body: outcome.reply,
      purpose: "reply",
      key: `reply:${input.business.id}:${input.messageSid}`,
    }),
  );
  return outcome;
}

async function decide(deps: Deps, { business, member, text }: MemberText): Promise<CommandOutcome> {
  const command = parseSmsCommand(text);
  const done = (reply: string, leadId: string | null = null) => ({ command: command.kind, reply, leadId });
  const time = { timeZone: business.config.timezone, now: deps.clock.now() };

  switch (command.kind) {
    case "help":
      return done(helpReply());
    case "list": {
      const mine = await leadsOf(deps.db, business.id, member.id);
      const listed = (l: LeadRow) => ({ code: l.code, customerName: l.fullName, nextAction: l.nextAction, dueAt: l.nextActionDueAt });
      return done(listReply({ waiting: mine.waiting.map(listed), owned: mine.owned.map(listed), ...time }));
    }
    case "next":
    case "note":
    case "done":
    case "reassign": {
      const { reply, leadId } = await runAfterAccept(deps, { business, member, command });
      return done(reply, leadId);
    }
    case "away":
    case "back":
    case "who":
      return done(await runStatusCommand(deps, { business, member, command: command.kind }));
    case "accept":
    case "reject": {
      const verb = command.kind === "accept" ? "ACCEPT" : "REJECT";
      let lead: LeadRow;
      if (command.code !== null) {
        const found = await leadByCode(deps.db, business.id, command.code);
        const visible = found && (found.offeredTo.includes(member.id) || found.ownerId === member.id || found.pendingOwnerId === member.id);
        if (!visible) return done(notYoursReply(command.code));
        lead = found;
      } else {
        const { waiting } = await leadsOf(deps.db, business.id, member.id);
        if (waiting.length === 0) return done(noneWaitingReply());
        if (waiting.length > 1) return done(severalWaitingReply({ codes: waiting.map((l) => l.code), command: verb }));
        lead = waiting[0]!;
      }
      const actor: Actor = { memberId: member.id, via: "sms" };
      try {
        if (command.kind === "reject") {
          // A reassignment offered to the sender may be turned down; the lead stays with its owner.
          const pendingForMe = lead.state === "accepted" && lead.pendingOwnerId === member.id;
          if (!command.reason) {
            // An accepted lead cannot be rejected at all: say that, not "give a reason".
            return done(lead.state === "accepted" && !pendingForMe ? rejectAfterAcceptReply(lead.code) : rejectNeedsReasonReply(lead.code), lead.id);
          }
          const after = await rejectLead(deps, lead.id, actor, command.reason);
          if (pendingForMe) {
            const ownerName = memberById(business.config, after.ownerId)?.name ?? after.ownerId ?? "its owner";
            return done(reassignDeclinedReply({ code: lead.code, ownerName }), lead.id);
          }
          return done(rejectedReply({ code: lead.code, reason: command.reason }), lead.id);
        }
        const accepted = await acceptLead(deps, lead.id, actor);
        const reply = acceptedReply({
          code: accepted.code,
          customerName: accepted.fullName,
          customerPhone: accepted.phone,
          dueAt: accepted.nextActionDueAt,
          nextStep: accepted.promisedNextStep,
          ...time,
        });
        return done(reply, lead.id);
      } catch (err) {
        return done(refusalReply(err, command.kind, lead, business, member), lead.id);
      }
    }
    case "stop":
    case "start":
      // STOP, and START from an opted-out number, are consent and never reach here (the webhook
      // records them first); a START from a member who never opted out changes nothing.
      return done(helpReply());
    case "unknown":
      return done(notUnderstoodReply());
  }
}

/** A refused ACCEPT or REJECT in the member's words. */
function refusalReply(err: unknown, verb: "accept" | "reject", lead: LeadRow, business: BusinessRow, member: Member): string {
  const why = refusal(err, business, member.id);
  if (why.kind === "already-yours") return alreadyYoursReply(lead.code);
  if (why.kind === "accepted-by-other") return alreadyAcceptedReply({ code: lead.code, acceptedBy: why.name });
  // An accepted lead cannot be sent back (SOP): say that rather than "not yours".
  if (why.kind === "accepted-meanwhile" && verb === "reject") return rejectAfterAcceptReply(lead.code);
  return notYoursReply(lead.code);
}
