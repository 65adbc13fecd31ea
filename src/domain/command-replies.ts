/**
 * The short texts the gateway sends team members in answer to commands, and the notices
 * around them. One voice: plain, first the fact, then what to do. Each fits one GSM-7 SMS
 * (160 characters) for ordinary names and reasons; long free text is clipped to fit (a
 * customer's own words may take two).
 */

// ---------------------------------------------------------------------------------------------
// SMS length

// GSM 03.38 basic set (1 unit each) and its extension table (2 units: escape + char). Anything
// else switches the whole message to UCS-2, where a segment holds 70 characters, not 160.
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "^{}\\[~]|€\f";

/** True when the text can be sent in GSM-7 (no UCS-2 fallback). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM7_BASIC.includes(ch) && !GSM7_EXTENSION.includes(ch)) return false;
  return true;
}

/** How many SMS segments the text costs (GSM-7: 160, then 153 each; UCS-2: 70, then 67). */
export function smsSegments(text: string): number {
  if (isGsm7(text)) {
    let units = 0;
    for (const ch of text) units += GSM7_EXTENSION.includes(ch) ? 2 : 1;
    return units <= 160 ? 1 : Math.ceil(units / 153);
  }
  // UCS-2 counts UTF-16 code units: an emoji takes two.
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}

/** Shortens free text to `max` characters on a word boundary, marked with "..." (GSM-7 safe). */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  if (max <= 3) return clean.slice(0, Math.max(0, max));
  // Never leave half of an emoji (a lone UTF-16 surrogate) at the cut.
  const cut = clean.slice(0, max - 3).replace(/[\uD800-\uDBFF]$/, "");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s\p{P}]+$/u, "")}...`;
}

/** Fills `slot` in `template` with as much of `text` as keeps the message within `segments`. */
function fitIn(template: (slot: string) => string, text: string, segments = 1): string {
  let max = 1600;
  let message = template(clip(text, max));
  // Shrink until it fits; a UCS-2 slot (emoji, curly quotes) gets less room than a GSM-7 one.
  while (smsSegments(message) > segments && max > 10) {
    max = Math.min(max, clip(text, max).length) - 5;
    message = template(clip(text, Math.max(max, 10)));
  }
  return message;
}

// ---------------------------------------------------------------------------------------------
// Time

/** How an owner reads times: in the business's own zone, relative to today there. */
export interface BusinessTime {
  /** IANA zone of the business, e.g. "America/Chicago". */
  timeZone: string;
  /** Now, from the clock port: decides whether a due time needs its day. */
  now: Date;
}

const dayKey = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);

// ICU puts U+202F (narrow no-break space) before AM/PM in recent versions: outside GSM-7, it
// would turn every reply into a 70-character UCS-2 message.
const plainSpaces = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

/** "2:35 PM CST" today, "Tue 8:00 AM CST" within the week, "Dec 2 8:00 AM CST" beyond. */
export function formatDueTime(at: Date, { timeZone, now }: BusinessTime): string {
  const time = plainSpaces(
    new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(at),
  );
  if (dayKey(at, timeZone) === dayKey(now, timeZone)) return time;
  const withinWeek = Math.abs(at.getTime() - now.getTime()) < 6 * 24 * 3600 * 1000;
  const day = new Intl.DateTimeFormat(
    "en-US",
    withinWeek ? { timeZone, weekday: "short" } : { timeZone, month: "short", day: "numeric" },
  ).format(at);
  return `${plainSpaces(day)} ${time}`;
}

// ---------------------------------------------------------------------------------------------
// Replies to commands

const named = (code: number, customerName?: string | null) =>
  customerName ? `lead ${code} (${customerName})` : `lead ${code}`;

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
  return fitIn((step) => `${lead}${sentence(step)}${call}`, r.nextStep);
}

/** ACCEPT came second: someone else already took the lead. */
export function alreadyAcceptedReply({ code, acceptedBy }: { code: number; acceptedBy: string }): string {
  return `Lead ${code} was already accepted by ${acceptedBy}.`;
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
  return "No leads are waiting for you. Reply LIST to see the ones you have accepted.";
}

/** REJECT without a reason: the reason is what intake must fix, so it is required. */
export function rejectNeedsReasonReply(code: number | null): string {
  return `Say what's missing: REJECT ${code ?? "<code>"} <reason>.`;
}

/** REJECT worked: the lead is back with intake, with the member's reason. */
export function rejectedReply({ code, reason }: { code: number; reason: string }): string {
  return fitIn((r) => `Lead ${code} sent back to intake: ${sentence(r)}`, reason);
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
  dueAt?: Date | null;
}

/** LIST: what waits for the member's ACCEPT, and what they accepted but have not moved. */
export function listReply({ waiting, accepted, ...time }: { waiting: ListedLead[]; accepted: ListedLead[] } & BusinessTime): string {
  if (waiting.length === 0 && accepted.length === 0) return "Nothing waiting and nothing accepted. You're all caught up.";
  const tail = waiting.length > 0 ? " Reply ACCEPT <code>." : "";
  // From most to least detail; the first that fits one SMS wins.
  const renderings: Array<(l: ListedLead[]) => string> = [
    (l) => l.map((x) => [x.code, x.customerName, x.dueAt ? `due ${formatDueTime(x.dueAt, time)}` : null].filter(Boolean).join(" ")).join(", "),
    (l) => l.map((x) => [x.code, x.customerName].filter(Boolean).join(" ")).join(", "),
    (l) => codeList(l.map((x) => x.code), 50),
  ];
  let text = "";
  for (const render of renderings) {
    const parts = [
      waiting.length > 0 ? `Waiting (${waiting.length}): ${render(waiting)}.` : "Nothing waiting.",
      accepted.length > 0 ? `Accepted (${accepted.length}): ${render(accepted)}.` : "",
    ];
    text = `${parts.filter(Boolean).join(" ")}${tail}`;
    if (smsSegments(text) === 1) return text;
  }
  // Dozens of codes: show as many as fit and count the rest.
  for (let shown = 10; shown >= 1; shown--) {
    const w = waiting.length > 0 ? `Waiting (${waiting.length}): ${codeList(waiting.map((x) => x.code), shown)}.` : "Nothing waiting.";
    const a = accepted.length > 0 ? ` Accepted (${accepted.length}): ${codeList(accepted.map((x) => x.code), shown)}.` : "";
    text = `${w}${a}${tail}`;
    if (smsSegments(text) === 1) return text;
  }
  return text;
}

/** HELP (or "?"): the commands, in the words the member types them. */
export function helpReply(): string {
  return "Reply ACCEPT <code> to take a lead, REJECT <code> <what's missing> to send it back, LIST for your leads. Text STOP to end texts.";
}

/** A text from a team member that is no command. */
export function notUnderstoodReply(): string {
  return "Sorry, I didn't get that. Reply ACCEPT <code>, REJECT <code> <reason>, LIST or HELP.";
}

// ---------------------------------------------------------------------------------------------
// Notices to others

/** To intake: a lead came back from its owner with what is missing. */
export function intakeRejectedNotice(n: { code: number; customerName?: string | null; reason: string; rejectedBy: string }): string {
  const head = `Lead ${n.code}${n.customerName ? ` (${n.customerName})` : ""} came back from ${n.rejectedBy}: `;
  return fitIn((r) => `${head}${sentence(r)} Please fill it in.`, n.reason);
}

/** To everyone else the lead was offered to: the first ACCEPT won, nothing left to do. */
export function takenNotice({ code, acceptedBy }: { code: number; acceptedBy: string }): string {
  return `Lead ${code} was taken by ${acceptedBy}. No action needed.`;
}

/**
 * To the owner: the customer texted back. Up to two segments, since the customer's own words
 * are the point (and an emoji makes a segment only 70 characters); the full text is on the lead.
 */
export function customerReplyNotice(n: { code: number; customerName?: string | null; customerPhone?: string | null; text: string }): string {
  const who = n.customerName ?? n.customerPhone;
  const head = `Lead ${n.code}${who ? ` (${who})` : ""} texted: "`;
  return fitIn((t) => `${head}${t}"`, n.text, 2);
}

/** To the manager: a team member opted out of texts, so offers reach them by call. */
export function memberOptedOutNotice({ memberName }: { memberName: string }): string {
  return `${memberName} replied STOP, so lead offers will reach them by phone call. Ask them to text START to get texts again.`;
}

/** Ends free text as a sentence unless it already ends like one ("...", "?", "!"). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** "1042, 1043, 1047", or "1042, 1043 +5 more" past `max` codes. */
function codeList(codes: number[], max: number): string {
  const shown = codes.slice(0, max).join(", ");
  return codes.length > max ? `${shown} +${codes.length - max} more` : shown;
}
