import type { BusinessConfig } from "./business-config.ts";
import { acceptanceWindowMs, leadClass, type LeadClass } from "./escalation-policy.ts";
import { OUTCOMES, type LeadFields } from "./lead.ts";

/**
 * Evidence for the SOP's five QA questions (CONTRACT §12), computed from a lead's history and
 * written as facts a reviewer can check against the timeline: "accepted 22 min after offer,
 * window 15 min, escalated once to Omar Lee". Pure: the API route and the console read the same
 * sentences.
 */

export const QA_QUESTIONS = ["ownerCorrect", "notesSufficient", "waitedTooLong", "customerRepeated", "outcomeMatched"] as const;
export type QaQuestion = (typeof QA_QUESTIONS)[number];
export const QA_ANSWERS = ["yes", "no", "unsure"] as const;
export type QaAnswer = (typeof QA_ANSWERS)[number];

export type QaEvidence = Record<QaQuestion, string[]>;

/** One entry of a lead's history as the evidence reads it. */
export interface HistoryEntry {
  at: Date;
  type: string;
  actor: string;
  detail: Record<string, unknown> | null;
}

/** What of the lead the evidence reads. */
export type EvidenceLead = Pick<LeadFields, "urgency" | "opportunity" | "leadType" | "source" | "summaryNotes"> & {
  state: string;
  outcome: string | null;
  createdAt: Date;
};

export type EvidenceConfig = Pick<BusinessConfig, "team" | "escalation"> & { outcomes?: BusinessConfig["outcomes"] };

const CALL_CHANNELS = new Set(["vapi", "retell", "bland", "twilio_voice"]);

/** A span as people say it: `45 s`, `22 min`, `1 h 5 min`, `2 d 3 h`. */
export function spanText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

const times = (n: number) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** A member id (or `member:<id>` actor) as the reviewer knows them: their name. */
function nameOf(config: EvidenceConfig, who: string | null): string {
  if (!who) return "nobody";
  const id = who.startsWith("member:") ? who.slice("member:".length) : who;
  return config.team.find((m) => m.id === id)?.name ?? id;
}

function withRoles(config: EvidenceConfig, id: string | null): string {
  const member = config.team.find((m) => m.id === id);
  return member ? `${member.name} (${member.roles.join(", ")})` : nameOf(config, id);
}

function clip(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Whether an outcome counts as a booking: `booked`, or one of the business's own with `booked: true`. */
export function isBookedOutcome(config: Pick<EvidenceConfig, "outcomes">, outcome: string | null): boolean {
  if (!outcome) return false;
  return outcome === "booked" || (config.outcomes ?? []).some((o) => o.id === outcome && o.booked);
}

/** The evidence for each question, oldest fact first. `now` words what is still waiting. */
export function qaEvidence(lead: EvidenceLead, history: readonly HistoryEntry[], config: EvidenceConfig, now: Date): QaEvidence {
  const events = [...history].sort((a, b) => a.at.getTime() - b.at.getTime());
  const of = (type: string) => events.filter((e) => e.type === type);
  const offers = of("offered");
  const firstOffer = offers[0];
  const rejections = of("rejected");
  const reassigns = of("reassigned");
  const escalations = of("escalated");
  const accepted = firstOffer ? events.find((e) => e.type === "accepted" && e.at >= firstOffer.at) : undefined;

  const ownerCorrect: string[] = [];
  offers.forEach((o, i) => ownerCorrect.push(`${i === 0 ? "offered" : "offered again"} to ${withRoles(config, str(o.detail?.to))}`));
  for (const r of rejections) ownerCorrect.push(`rejected by ${nameOf(config, r.actor)} ${spanText(r.at.getTime() - (lastBefore(offers, r.at)?.at ?? r.at).getTime())} after offer`);
  for (const r of reassigns) {
    ownerCorrect.push(`reassigned from ${nameOf(config, str(r.detail?.from))} to ${nameOf(config, str(r.detail?.to))}${str(r.detail?.reason) ? `: ${str(r.detail?.reason)}` : ""}`);
  }
  if (accepted) ownerCorrect.push(`accepted by ${nameOf(config, accepted.actor)}`);
  if (!rejections.length && !reassigns.length) ownerCorrect.push("no rejections or reassignments");

  const notesSufficient: string[] = [];
  if (firstOffer) {
    const missing = list(firstOffer.detail?.missingFields);
    notesSufficient.push(missing.length ? `missing at first offer: ${missing.join(", ")}` : "nothing missing at first offer");
  } else notesSufficient.push("never offered");
  for (const r of rejections) notesSufficient.push(`rejected for: ${str(r.detail?.reason) ?? "no reason recorded"}`);
  notesSufficient.push(lead.summaryNotes ? `summary notes: "${clip(lead.summaryNotes)}"` : "no summary notes");

  const waitedTooLong: string[] = [];
  if (firstOffer) {
    waitedTooLong.push(`offered ${spanText(firstOffer.at.getTime() - lead.createdAt.getTime())} after it came in`);
    const cls = (str(firstOffer.detail?.class) as LeadClass | null) ?? leadClass(lead);
    const window = `window ${spanText(acceptanceWindowMs(config, cls === "urgent" || cls === "estimate" ? cls : "standard"))}`;
    const escalated = escalations.length
      ? `escalated ${times(escalations.length)} to ${escalations.map((e) => nameOf(config, str(e.detail?.to) ?? str(e.detail?.role))).join(", ")}`
      : "not escalated";
    if (accepted) waitedTooLong.push(`accepted ${spanText(accepted.at.getTime() - firstOffer.at.getTime())} after offer, ${window}, ${escalated}`);
    else if (lead.state === "closed") waitedTooLong.push(`closed without acceptance, ${window}, ${escalated}`);
    else waitedTooLong.push(`not accepted ${spanText(now.getTime() - firstOffer.at.getTime())} after offer, ${window}, ${escalated}`);
  } else waitedTooLong.push("never offered");

  const customerRepeated: string[] = [];
  const after = (e: HistoryEntry) => spanText(e.at.getTime() - lead.createdAt.getTime());
  for (const e of events) {
    if (e.type === "merged") {
      const channel = str(e.detail?.channel);
      const verb = channel && CALL_CHANNELS.has(channel) ? "called again" : `came in again (${channel ?? "intake"})`;
      customerRepeated.push(`customer ${verb} ${after(e)} later${str(e.detail?.reason) ? ` (${str(e.detail?.reason)})` : ""}`);
    } else if (e.type === "missed_call" && e.at > lead.createdAt) customerRepeated.push(`customer called again ${after(e)} later (missed)`);
    else if (e.type === "customer_message") {
      const text = str(e.detail?.text);
      customerRepeated.push(`customer texted ${after(e)} after intake${text ? `: "${clip(text, 60)}"` : ""}`);
    }
  }
  if (!customerRepeated.length) customerRepeated.push("no repeat contact after intake");

  const outcomeMatched: string[] = [];
  const facts = `urgency ${lead.urgency ?? "unknown"}, source ${lead.source ?? "unknown"}`;
  if (lead.outcome) {
    const kind = isBookedOutcome(config, lead.outcome) ? "a booking" : (OUTCOMES as readonly string[]).includes(lead.outcome) ? "not a booking" : "the business's own outcome, not a booking";
    const closed = of("closed").at(-1);
    outcomeMatched.push(`closed as ${lead.outcome} (${kind})${closed ? ` ${spanText(closed.at.getTime() - lead.createdAt.getTime())} after it came in` : ""}, ${facts}`);
  } else outcomeMatched.push(`no outcome yet (${lead.state}), ${facts}`);

  return { ownerCorrect, notesSufficient, waitedTooLong, customerRepeated, outcomeMatched };
}

function lastBefore(list: readonly HistoryEntry[], at: Date): HistoryEntry | undefined {
  return list.filter((e) => e.at <= at).at(-1);
}
