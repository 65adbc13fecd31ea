/**
 * The words of the QA evidence (CONTRACT §12): each fact of a lead's history as the sentence a
 * reviewer reads beside its timeline. domain/qa-evidence.ts finds the facts; this says them. Not
 * SMS (the API and the console show them), so no segment budget; free text is quoted as typed.
 */

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

/** Long free text cut at `max` characters with an ellipsis. */
export function clipQuote(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export const evidenceText = {
  // ownerCorrect
  offeredTo: (again: boolean, who: string) => `${again ? "offered again" : "offered"} to ${who}`,
  rejectedBy: (who: string, afterOffer: string) => `rejected by ${who} ${afterOffer} after offer`,
  reassigned: (from: string, to: string, reason: string | null) => `reassigned from ${from} to ${to}${reason ? `: ${reason}` : ""}`,
  acceptedBy: (who: string) => `accepted by ${who}`,
  noRejections: () => "no rejections or reassignments",
  // notesSufficient
  missingAtOffer: (fields: string[]) => (fields.length ? `missing at first offer: ${fields.join(", ")}` : "nothing missing at first offer"),
  rejectedFor: (reason: string | null) => `rejected for: ${reason ?? "no reason recorded"}`,
  summaryNotes: (notes: string | null) => (notes ? `summary notes: "${clipQuote(notes, 80)}"` : "no summary notes"),
  neverOffered: () => "never offered",
  // waitedTooLong
  offeredAfterIntake: (span: string) => `offered ${span} after it came in`,
  escalations: (targets: string[]) => (targets.length ? `escalated ${times(targets.length)} to ${targets.join(", ")}` : "not escalated"),
  acceptedAfterOffer: (span: string, window: string, escalations: string) => `accepted ${span} after offer, window ${window}, ${escalations}`,
  closedUnaccepted: (window: string, escalations: string) => `closed without acceptance, window ${window}, ${escalations}`,
  notAcceptedYet: (span: string, window: string, escalations: string) => `not accepted ${span} after offer, window ${window}, ${escalations}`,
  // customerRepeated
  cameInAgain: (byCall: boolean, channel: string | null, span: string, reason: string | null) =>
    `customer ${byCall ? "called again" : `came in again (${channel ?? "intake"})`} ${span} later${reason ? ` (${reason})` : ""}`,
  calledAgainMissed: (span: string) => `customer called again ${span} later (missed)`,
  texted: (span: string, text: string | null) => `customer texted ${span} after intake${text ? `: "${clipQuote(text, 60)}"` : ""}`,
  noRepeat: () => "no repeat contact after intake",
  // outcomeMatched
  closedAs: (outcome: string, kind: "booking" | "not a booking" | "own, not a booking", after: string | null, urgency: string, source: string) =>
    `closed as ${outcome} (${kind === "booking" ? "a booking" : kind === "not a booking" ? "not a booking" : "the business's own outcome, not a booking"})${after ? ` ${after} after it came in` : ""}, urgency ${urgency}, source ${source}`,
  noOutcome: (state: string, urgency: string, source: string) => `no outcome yet (${state}), urgency ${urgency}, source ${source}`,
};
