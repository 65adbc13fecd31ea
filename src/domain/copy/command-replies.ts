/**
 * The short texts the gateway sends team members in answer to commands. One voice: plain, first
 * the fact, then what to do. Each fits one GSM-7 SMS (160 characters): names and reasons are
 * spelled in GSM-7 and long free text is clipped to fit.
 */
import { formatDueTime, type BusinessTime } from "./due-time.ts";
import { gsm7Spelling, smsSegments, toGsm7 } from "./gsm7.ts";
import { fitIn, sentence } from "./sms-fit.ts";

const named = (code: number, customerName?: string | null) =>
  customerName ? `lead ${code} (${toGsm7(customerName)})` : `lead ${code}`;

export interface AcceptedReply extends BusinessTime {
  code: number;
  customerName?: string | null;
  customerPhone?: string | null;
  /** When the promised next step is due. */
  dueAt?: Date | null;
  /** The promised next step, e.g. "call back with a quote". */
  nextStep?: string | null;
}

/** ACCEPT worked: the lead is theirs, with when it is due and how to reach the customer. */
export function acceptedReply(r: AcceptedReply): string {
  const head = `Accepted ${named(r.code, r.customerName)}.`;
  const call = r.customerPhone ? ` Call them at ${r.customerPhone}.` : "";
  const due = r.dueAt ? ` Due ${formatDueTime(r.dueAt, r)}` : "";
  if (!r.nextStep) return `${head}${due ? `${due}.` : ""}${call}`;
  const lead = due ? `${head}${due}: ` : `${head} Next: `;
  return fitIn((step) => `${lead}${sentence(step)}${call}`, toGsm7(r.nextStep));
}

/** ACCEPT came second: someone else already took the lead. */
export function alreadyAcceptedReply({ code, acceptedBy }: { code: number; acceptedBy: string }): string {
  return `Lead ${code} was already accepted by ${toGsm7(acceptedBy)}.`;
}

/** ACCEPT repeated by the member who already accepted: nothing changes, say so. */
export function alreadyYoursReply(code: number): string {
  return `You already accepted lead ${code}. It's yours.`;
}

/** A bare ACCEPT or REJECT with several leads waiting: which one? Nothing changed. */
export function severalWaitingReply({ codes, command }: { codes: number[]; command: "ACCEPT" | "REJECT" }): string {
  const how = command === "ACCEPT" ? "Reply ACCEPT <code>." : "Reply REJECT <code> <what's missing>.";
  return `You have ${codes.length} leads waiting: ${codeList(codes, 12)}. ${how}`;
}

/** A bare ACCEPT or REJECT with nothing waiting for the member. */
export function noneWaitingReply(): string {
  return "No leads are waiting for you. Reply LIST to see the ones you own.";
}

/** REJECT without a reason: the reason is what intake must fix, so it is required. */
export function rejectNeedsReasonReply(code: number | null): string {
  return `Say what's missing: REJECT ${code ?? "<code>"} <reason>.`;
}

/** REJECT worked: the lead is back with intake, with the member's reason. */
export function rejectedReply({ code, reason }: { code: number; reason: string }): string {
  return fitIn((r) => `Lead ${code} sent back to intake: ${sentence(r)}`, gsm7Spelling(reason));
}

/** REJECT on an accepted lead: responsibility does not bounce back informally (SOP). */
export function rejectAfterAcceptReply(code: number): string {
  return `Lead ${code} is already accepted; ask the office to reassign it.`;
}

/**
 * The code names no lead offered to this member: unknown, another business's, closed, or
 * offered to someone else. One answer for all, so a code reveals nothing about other leads.
 */
export function notYoursReply(code: number): string {
  return `Lead ${code} isn't waiting for you. Reply LIST to see your leads.`;
}

/** A lead as LIST shows it. */
export interface ListedLead {
  code: number;
  customerName?: string | null;
  /** The owner's recorded next action (owned leads). */
  nextAction?: string | null;
  dueAt?: Date | null;
}

/** LIST: what waits for the member's ACCEPT, and every open lead they own with its next action and due time. */
export function listReply({ waiting: w, owned: a, ...time }: { waiting: ListedLead[]; owned: ListedLead[] } & BusinessTime): string {
  // Free text as GSM-7 spells it: one "ë" would make the whole list a 70-character message.
  const gsm = (l: ListedLead[]) =>
    l.map((x) => ({ ...x, customerName: x.customerName ? toGsm7(x.customerName) : x.customerName, nextAction: x.nextAction ? toGsm7(x.nextAction) : x.nextAction }));
  const waiting = gsm(w);
  const owned = gsm(a);
  if (waiting.length === 0 && owned.length === 0) return "Nothing waiting and no open leads. You're all caught up.";
  const tail = waiting.length > 0 ? " Reply ACCEPT <code>." : "";
  const due = (x: ListedLead) => (x.dueAt ? `due ${formatDueTime(x.dueAt, time)}` : null);
  // From most to least detail; the first that fits one SMS wins.
  const renderings: Array<(l: ListedLead[]) => string> = [
    (l) => l.map((x) => [x.code, x.customerName, x.nextAction ? `- ${x.nextAction}` : null, due(x)].filter(Boolean).join(" ")).join(", "),
    (l) => l.map((x) => [x.code, x.nextAction ? `- ${x.nextAction}` : x.customerName, due(x)].filter(Boolean).join(" ")).join(", "),
    (l) => l.map((x) => [x.code, due(x)].filter(Boolean).join(" ")).join(", "),
    (l) => codeList(l.map((x) => x.code), 50),
  ];
  let text = "";
  for (const render of renderings) {
    const parts = [
      waiting.length > 0 ? `Waiting (${waiting.length}): ${render(waiting)}.` : "Nothing waiting.",
      owned.length > 0 ? `Yours (${owned.length}): ${render(owned)}.` : "",
    ];
    text = `${parts.filter(Boolean).join(" ")}${tail}`;
    if (smsSegments(text) === 1) return text;
  }
  // Dozens of codes: show as many as fit and count the rest.
  for (let shown = 10; shown >= 1; shown--) {
    const w = waiting.length > 0 ? `Waiting (${waiting.length}): ${codeList(waiting.map((x) => x.code), shown)}.` : "Nothing waiting.";
    const a = owned.length > 0 ? ` Yours (${owned.length}): ${codeList(owned.map((x) => x.code), shown)}.` : "";
    text = `${w}${a}${tail}`;
    if (smsSegments(text) === 1) return text;
  }
  return text;
}

/** HELP (or "?"): the commands, in the words the member types them. */
export function helpReply(): string {
  return "ACCEPT <code>, REJECT <code> <why>, NEXT <code> <what> <when>, NOTE <code> <text>, DONE <code> <outcome>, REASSIGN <code> <name> <why>, LIST/AWAY/BACK/WHO/STOP";
}

/** A text from a team member that is no command. */
export function notUnderstoodReply(): string {
  return "Sorry, I didn't get that, so nothing changed. Check the code and reply again, or HELP for the commands.";
}

/** "1042, 1043, 1047", or "1042, 1043 +5 more" past `max` codes. */
function codeList(codes: number[], max: number): string {
  const shown = codes.slice(0, max).join(", ");
  return codes.length > max ? `${shown} +${codes.length - max} more` : shown;
}
