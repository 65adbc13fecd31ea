import type { BusinessConfig } from "./business-config.ts";
import { acceptanceWindowMs, leadClass, type LeadClass } from "./escalation-policy.ts";
import { evidenceText as say, spanText } from "./copy/qa-evidence.ts";
import { OUTCOMES, type LeadFields } from "./lead.ts";

export { spanText } from "./copy/qa-evidence.ts";

/**
 * Evidence for the SOP's five QA questions (CONTRACT §12), found in a lead's history and worded
 * by domain/copy/qa-evidence.ts as facts a reviewer can check against the timeline: "accepted 22
 * min after offer, window 15 min, escalated once to Omar Lee". Pure: the API route and the
 * console read the same sentences.
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
  offers.forEach((o, i) => ownerCorrect.push(say.offeredTo(i > 0, withRoles(config, str(o.detail?.to)))));
  for (const r of rejections) ownerCorrect.push(say.rejectedBy(nameOf(config, r.actor), spanText(r.at.getTime() - (lastBefore(offers, r.at)?.at ?? r.at).getTime())));
  for (const r of reassigns) ownerCorrect.push(say.reassigned(nameOf(config, str(r.detail?.from)), nameOf(config, str(r.detail?.to)), str(r.detail?.reason)));
  if (accepted) ownerCorrect.push(say.acceptedBy(nameOf(config, accepted.actor)));
  if (!rejections.length && !reassigns.length) ownerCorrect.push(say.noRejections());

  const notesSufficient: string[] = [];
  notesSufficient.push(firstOffer ? say.missingAtOffer(list(firstOffer.detail?.missingFields)) : say.neverOffered());
  for (const r of rejections) notesSufficient.push(say.rejectedFor(str(r.detail?.reason)));
  notesSufficient.push(say.summaryNotes(lead.summaryNotes));

  const waitedTooLong: string[] = [];
  if (firstOffer) {
    waitedTooLong.push(say.offeredAfterIntake(spanText(firstOffer.at.getTime() - lead.createdAt.getTime())));
    const cls = (str(firstOffer.detail?.class) as LeadClass | null) ?? leadClass(lead);
    const window = spanText(acceptanceWindowMs(config, cls === "urgent" || cls === "estimate" ? cls : "standard"));
    const escalated = say.escalations(escalations.map((e) => nameOf(config, str(e.detail?.to) ?? str(e.detail?.role))));
    if (accepted) waitedTooLong.push(say.acceptedAfterOffer(spanText(accepted.at.getTime() - firstOffer.at.getTime()), window, escalated));
    else if (lead.state === "closed") waitedTooLong.push(say.closedUnaccepted(window, escalated));
    else waitedTooLong.push(say.notAcceptedYet(spanText(now.getTime() - firstOffer.at.getTime()), window, escalated));
  } else waitedTooLong.push(say.neverOffered());

  const customerRepeated: string[] = [];
  const after = (e: HistoryEntry) => spanText(e.at.getTime() - lead.createdAt.getTime());
  for (const e of events) {
    if (e.type === "merged") {
      const channel = str(e.detail?.channel);
      customerRepeated.push(say.cameInAgain(channel !== null && CALL_CHANNELS.has(channel), channel, after(e), str(e.detail?.reason)));
    } else if (e.type === "missed_call" && e.at > lead.createdAt) customerRepeated.push(say.calledAgainMissed(after(e)));
    else if (e.type === "customer_message") customerRepeated.push(say.texted(after(e), str(e.detail?.text)));
  }
  if (!customerRepeated.length) customerRepeated.push(say.noRepeat());

  const outcomeMatched: string[] = [];
  const urgency = lead.urgency ?? "unknown";
  const source = lead.source ?? "unknown";
  if (lead.outcome) {
    const kind = isBookedOutcome(config, lead.outcome) ? "booking" : (OUTCOMES as readonly string[]).includes(lead.outcome) ? "not a booking" : "own, not a booking";
    const closed = of("closed").at(-1);
    outcomeMatched.push(say.closedAs(lead.outcome, kind, closed ? spanText(closed.at.getTime() - lead.createdAt.getTime()) : null, urgency, source));
  } else outcomeMatched.push(say.noOutcome(lead.state, urgency, source));

  return { ownerCorrect, notesSufficient, waitedTooLong, customerRepeated, outcomeMatched };
}

function lastBefore(list: readonly HistoryEntry[], at: Date): HistoryEntry | undefined {
  return list.filter((e) => e.at <= at).at(-1);
}
