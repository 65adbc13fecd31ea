import type { Member } from "./business-config.ts";

/**
 * Round robin among the members who may take a lead (CONTRACT §10 `weight`). Equal weights (the
 * default, 1) serve the least recently offered first, as always. Unequal weights use stride
 * scheduling (Waldspurger's lottery/stride scheduling, as weighted fair queueing does): each member
 * carries a `pass`; the lowest pass is offered, and its pass grows by 1/weight, so a member of
 * weight 2 is offered twice as often as one of weight 1.
 *
 * A member with no pass yet starts level with the lowest pass among the candidates. One back
 * after weeks away would have a pass far behind and take every lead until caught up; so no pass
 * counts as lower than the highest among the candidates less the longest stride (in a steady
 * rotation every pass lies within that band already).
 */
export interface RoundRobinMemory {
  /** When each member was last offered a lead. */
  lastOfferedAt: ReadonlyMap<string, Date>;
  /** Each member's pass, for weighted choice; absent members have none yet. */
  pass?: ReadonlyMap<string, number>;
}

const EPSILON = 1e-9;

export const weightOf = (member: Pick<Member, "weight">) => member.weight ?? 1;

/** The member to offer next and their pass once offered, or null when there are no candidates. */
export function pickWeighted(candidates: Member[], memory: RoundRobinMemory): { member: Member; pass: number } | null {
  if (candidates.length === 0) return null;
  const passes = memory.pass ?? new Map<string, number>();
  const stride = (m: Member) => 1 / weightOf(m);
  const known = candidates.map((m) => passes.get(m.id)).filter((p): p is number => p !== undefined);
  const floor = (known.length ? Math.max(...known) : 0) - Math.max(...candidates.map(stride));
  // A member with no pass yet starts level with the lowest one.
  const start = known.length ? Math.min(...known) : 0;
  const effective = (m: Member) => Math.max(passes.get(m.id) ?? start, floor);
  const equal = candidates.every((m) => weightOf(m) === weightOf(candidates[0]!));
  const lastAt = (m: Member) => memory.lastOfferedAt.get(m.id)?.getTime() ?? -Infinity;
  let best = candidates[0]!;
  for (const m of candidates.slice(1)) {
    const byPass = equal ? 0 : effective(m) - effective(best);
    if (byPass < -EPSILON || (Math.abs(byPass) <= EPSILON && lastAt(m) < lastAt(best))) best = m;
  }
  return { member: best, pass: effective(best) + stride(best) };
}
