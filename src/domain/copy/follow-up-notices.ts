/**
 * What the gateway tells the team on its own after ACCEPT (CONTRACT §9): a next action came due
 * with nothing moving, an estimate's follow-up day opened, the end-of-day items of one owner, a
 * reassignment that was not taken. One GSM-7 SMS each; free text is clipped to fit.
 */
import { formatDueTime, type BusinessTime } from "./due-time.ts";
import { smsSegments, toGsm7 } from "./gsm7.ts";
import { fitIn, truncateWords } from "./sms-fit.ts";

/** A name that leaves room for the rest: at most `max` characters, cut at a word. */
const short = (name: string, max = 28) => truncateWords(toGsm7(name), max) || toGsm7(name).slice(0, max);
const named = (code: number, customerName?: string | null) => (customerName ? `lead ${code} (${short(customerName)})` : `lead ${code}`);
const how = (code: number) => `Reply NEXT ${code} <what> <when> or DONE ${code} <outcome>.`;

/** To the owner at the due time of their next action, when nothing has moved since they set it. */
export function reminderNotice(n: { code: number; customerName?: string | null; action: string | null; dueAt: Date } & BusinessTime): string {
  const due = formatDueTime(n.dueAt, n);
  const head = `Reminder: ${named(n.code, n.customerName)}`;
  if (!n.action) return `${head} is due ${due}. ${how(n.code)}`;
  return fitIn((a) => `${head}: ${a}, due ${due}. ${how(n.code)}`, toGsm7(n.action));
}

/** To the overdue role: an owner's next action passed its due time and still nothing moved. */
export function overdueNotice(n: { code: number; customerName?: string | null; ownerName: string; action: string | null; dueAt: Date } & BusinessTime): string {
  const due = formatDueTime(n.dueAt, n);
  const head = `Overdue: ${named(n.code, n.customerName)}, ${short(n.ownerName)}`;
  if (!n.action) return `${head} had it due ${due} and nothing has moved. Please check in.`;
  return fitIn((a) => `${head} was to ${a} by ${due}; nothing has moved. Please check in.`, toGsm7(n.action));
}

/** To the owner of an estimate or consult when its follow-up day opens. */
export function followUpNotice(n: { code: number; customerName?: string | null }): string {
  return fitIn((who) => `Follow-up day for ${who}: the customer expects to hear from you today. ${how(n.code)}`, named(n.code, n.customerName));
}

/** To one owner at the end-of-day review: their leads in it, and how to clear each by text. */
export function ownerDigestText({ codes }: { codes: number[] }): string {
  const c = codes[0] ?? "<code>";
  const compose = (listed: number) => {
    const shown = codes.slice(0, listed).join(", ") + (codes.length > listed ? ` +${codes.length - listed} more` : "");
    return `End of day: ${codes.length === 1 ? "your lead" : "your leads"} ${shown} ${codes.length === 1 ? "has" : "have"} no next action. Clear each: NEXT ${c} <what> <when> or DONE ${c} <outcome>.`;
  };
  // The longest list that fits one SMS; the rest are counted, never dropped silently.
  for (let listed = Math.min(codes.length, 30); listed > 1; listed--) if (smsSegments(compose(listed)) === 1) return compose(listed);
  return compose(1);
}

/** To the owner: the member a reassignment was offered to said no (or did not answer in time). */
export function reassignNotTakenNotice(n: { code: number; to: string; reason: string | null }): string {
  if (!n.reason) return fitIn((who) => `${who} did not accept lead ${n.code} in time. It stays yours.`, toGsm7(n.to));
  const head = `${short(n.to)} turned down lead ${n.code}: `;
  return fitIn((r) => `${head}${r}. It stays yours.`, toGsm7(n.reason.replace(/[.!?]+$/, "")));
}
