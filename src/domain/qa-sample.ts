/**
 * The weekly QA sample of CONTRACT §12: min(perWeek, n) of the week's handoffs, the ones the SOP
 * most wants looked at first (urgent, rejected, escalated, missed calls), the rest drawn at
 * random with a seed of (business, week), so the same week always gives the same sample.
 */

/** A handoff of the week, with what makes it a priority. */
export interface QaCandidate {
  id: string;
  urgent: boolean;
  rejected: boolean;
  escalated: boolean;
  missedCall: boolean;
}

/** Why a handoff was picked first, in the order the reasons are listed. */
export type PriorityReason = "urgent" | "rejected" | "escalated" | "missed_call";

export function priorityReasons(c: QaCandidate): PriorityReason[] {
  const out: PriorityReason[] = [];
  if (c.urgent) out.push("urgent");
  if (c.rejected) out.push("rejected");
  if (c.escalated) out.push("escalated");
  if (c.missedCall) out.push("missed_call");
  return out;
}

/**
 * FNV-1a (32 bit) of a string: a draw that depends only on its input, the same in every process
 * and on every database, unlike Math.random or ORDER BY random().
 */
export function seededDraw(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The sample, in review order: priority handoffs first, then the rest, each group ordered by its
 * draw for (business, week, lead). Drawing per lead (not shuffling the list) keeps the sample
 * stable as the week fills: a late handoff takes a place only if its own draw beats one.
 */
export function qaSample<C extends QaCandidate>(candidates: readonly C[], business: string, week: string, perWeek: number): C[] {
  const keyed = candidates.map((c) => ({ c, priority: priorityReasons(c).length > 0, draw: seededDraw(`${business}|${week}|${c.id}`) }));
  keyed.sort((a, b) => Number(b.priority) - Number(a.priority) || a.draw - b.draw || (a.c.id < b.c.id ? -1 : 1));
  return keyed.slice(0, Math.max(0, Math.min(perWeek, keyed.length))).map((k) => k.c);
}
