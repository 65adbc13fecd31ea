/**
 * Replies to the commands an owner uses after ACCEPT (NEXT, NOTE, DONE, REASSIGN, AWAY, BACK,
 * WHO; CONTRACT §9). Same voice as command-replies.ts: the fact first, then what to type. Each
 * fits one GSM-7 SMS; the member's own words are respelled and clipped to fit.
 */
import { formatDueTime, type BusinessTime } from "./due-time.ts";
import { toGsm7 } from "./gsm7.ts";
import { fitIn, sentence, truncateWords } from "./sms-fit.ts";

/** NEXT worked: "1042: next - call to book, due Tue 9:00 AM CST". */
export function nextSetReply(r: { code: number; action: string; dueAt: Date } & BusinessTime): string {
  const due = formatDueTime(r.dueAt, r);
  return fitIn((a) => `${r.code}: next - ${a}, due ${due}`, toGsm7(r.action));
}

/** NEXT without a time it could read: nothing changed, ask for one. */
export function nextNeedsTimeReply(code: number | null): string {
  const c = code ?? "<code>";
  return `When is it due? Reply NEXT ${c} <what> <when>, e.g. NEXT ${c} call to book tue 9am. Nothing changed.`;
}

/** NEXT with a time that has already passed. */
export function nextPastReply(r: { code: number | null; dueAt: Date } & BusinessTime): string {
  return `${formatDueTime(r.dueAt, r)} has passed. Reply NEXT ${r.code ?? "<code>"} <what> <a later time>. Nothing changed.`;
}

/** NEXT with a time but no words for the action. */
export function nextNeedsActionReply(code: number | null): string {
  return `What will you do? Reply NEXT ${code ?? "<code>"} <what> <when>, e.g. call to book tue 9am. Nothing changed.`;
}

/** NOTE worked. */
export function noteAddedReply({ code, text }: { code: number; text: string }): string {
  return fitIn((t) => `${code}: note added - ${sentence(t)}`, toGsm7(text));
}

/** NOTE with nothing to note. */
export function noteNeedsTextReply(code: number | null): string {
  return `Reply NOTE ${code ?? "<code>"} <text> to add a note.`;
}

/** DONE worked: closed with its outcome. */
export function closedReply({ code, outcome }: { code: number; outcome: string }): string {
  return `Lead ${code} closed: ${toGsm7(outcome)}. Thanks.`;
}

/** DONE without an outcome, or with one the business does not know: the list. */
export function outcomeListReply({ code, outcomes, given }: { code: number | null; outcomes: readonly string[]; given: string | null }): string {
  const head = given ? `"${truncateWords(toGsm7(given), 30) || toGsm7(given).slice(0, 27) + "..."}" is not an outcome. ` : "";
  const list = outcomes.length > 1 ? `${outcomes.slice(0, -1).join(", ")} or ${outcomes.at(-1)}` : (outcomes[0] ?? "");
  return fitIn((l) => `${head}Reply DONE ${code ?? "<code>"} with ${l}.`, toGsm7(list));
}

/** REASSIGN sent: the named member must ACCEPT; until then the lead stays with its owner. */
export function reassignOfferedReply({ code, to, ownerName, byOwner }: { code: number; to: string; ownerName: string; byOwner: boolean }): string {
  const stays = byOwner ? "It stays yours until they ACCEPT." : `It stays with ${toGsm7(ownerName)} until they ACCEPT.`;
  return fitIn((n) => `Lead ${code} offered to ${n}. ${stays}`, toGsm7(to));
}

/** REASSIGN by the office of a lead nobody has accepted yet: the offer moves to the named member. */
export function reassignRedirectedReply({ code, to }: { code: number; to: string }): string {
  return fitIn((n) => `Lead ${code} is now offered to ${n} instead; they must ACCEPT it.`, toGsm7(to));
}

/** REASSIGN without a name, a reason, or with a name nobody on the team has. */
export function reassignUsageReply({ code, unknownName }: { code: number | null; unknownName?: string | null }): string {
  const how = `Reply REASSIGN ${code ?? "<code>"} <name> <reason>. Nothing changed.`;
  return unknownName ? fitIn((n) => `Nobody on the team is called "${n}". ${how}`, toGsm7(unknownName)) : how;
}

/** REASSIGN to the member who already owns it. */
export function reassignToOwnerReply({ code, ownerName }: { code: number; ownerName: string }): string {
  return fitIn((n) => `Lead ${code} is already with ${n}. Nothing changed.`, toGsm7(ownerName));
}

/** A command about a lead still offered to the sender: they must take it first. */
export function acceptFirstReply(code: number): string {
  return `ACCEPT ${code} first. Nothing changed.`;
}

/** A command about a closed lead. */
export function leadClosedReply(code: number): string {
  return `Lead ${code} is already closed. Nothing changed.`;
}

/** NEXT or REASSIGN by the office on a lead nobody has accepted yet. */
export function notAcceptedYetReply(code: number): string {
  return `Lead ${code} isn't accepted yet, so it has no owner to set a next step for. Nothing changed.`;
}

/** A bare NEXT, NOTE, DONE or REASSIGN with no accepted lead to apply it to. */
export function noOwnedLeadReply(verb: string): string {
  return `You have no accepted leads. Reply ${verb} <code> ... or LIST to see yours.`;
}

/** A bare command with several leads it could be about: which one? */
export function severalOwnedReply({ codes, verb }: { codes: number[]; verb: string }): string {
  const shown = codes.slice(0, 12).join(", ") + (codes.length > 12 ? ` +${codes.length - 12} more` : "");
  return `You have ${codes.length} open leads: ${shown}. Reply ${verb} <code> ...`;
}

/** AWAY worked; an on-call member hears who covers. */
export function awayReply({ covers }: { covers: { role: string; name: string | null }[] }): string {
  const cover = covers
    .map((c) => (c.name ? `${toGsm7(c.name)} covers ${c.role.replace(/_/g, " ")}.` : `Nobody else covers ${c.role.replace(/_/g, " ")}; the manager is asked.`))
    .join(" ");
  return fitIn((c) => `You're AWAY: no new leads until you text BACK.${c ? ` ${c}` : ""}`, cover);
}

/** BACK worked. */
export function backReply(): string {
  return "You're BACK: new leads reach you again. Reply LIST to see yours.";
}

/** WHO: who is on call now, and who else to call. */
export function whoReply({ onCall, manager }: { onCall: { name: string; phone: string }[]; manager: { name: string; phone: string } | null }): string {
  const who = onCall.length ? onCall.map((m) => `${toGsm7(m.name)} ${m.phone}`).join(", ") : "nobody available";
  const boss = manager ? ` Manager: ${toGsm7(manager.name)} ${manager.phone}.` : "";
  return fitIn((w) => `On call now: ${w}.${boss}`, who);
}

/** REJECT of a reassignment offered to the sender: the lead stays with its owner. */
export function reassignDeclinedReply({ code, ownerName }: { code: number; ownerName: string }): string {
  return fitIn((n) => `OK, lead ${code} stays with ${n}. They have been told why.`, toGsm7(ownerName));
}
