import type { BusinessConfig, Member, RoutingRule } from "./business-config.ts";
import { isEmergency, normalizeSource, type Channel, type LeadFields } from "./lead.ts";
import { isWorking, nextOpening, roleHolding } from "./on-duty.ts";
import { canonicalPostalCode, postalCodeOf } from "./postal-code.ts";
import { CLOSED_MATCH_FIELDS, canonicalToken } from "./routing-config.ts";
import { pickWeighted, type RoundRobinMemory } from "./round-robin.ts";

/** What routing reads of a lead. */
export type RoutableLead = Pick<
  LeadFields,
  "urgency" | "opportunity" | "leadType" | "source" | "serviceType" | "fit" | "market"
> & { channel: Channel; serviceAddress?: string | null };

export interface RoutingDecision {
  member: Member;
  /** Index of the rule that matched, or null when no rule matched. */
  ruleIndex: number | null;
  /** How the member was found: the rule's target, or the fallback that stood in for it. */
  via: string;
  /** Candidates passed over for being at their `maxOpen` (CONTRACT §10), for the history. */
  skipped?: { memberId: string; why: string }[];
  /** The chosen member's round-robin pass after this offer (round-robin.ts), to store with the offer. */
  pass?: number;
  /**
   * Non-urgent work chosen for a member who is not working now: the offer waits for their next
   * opening, and its window counts from then (CONTRACT §10). Absent: offer now.
   */
  deferUntil?: Date;
}

/** Free text as routing compares it: trimmed, inner whitespace collapsed, lowercase. */
export function canonicalText(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase();
}

/** True when two free-text values are the same but for case and spacing ("AC  install" is "ac install"). */
export function sameText(a: string, b: string): boolean {
  return canonicalText(a) === canonicalText(b);
}

/**
 * How a rule's value and a lead's value are compared, per field. Closed sets (urgency, leadType…)
 * are stored in one spelling by the config (canonicalToken) and compared so. Sources are stored in
 * one spelling (normalizeSource), so a rule's "Google Ads" is compared as google_ads; `zip` is a
 * prefix of the postal code in the service address; other free text ignores case and spacing.
 */
function fieldMatches(field: string, allowed: string[], value: string): boolean {
  if (field in CLOSED_MATCH_FIELDS) return allowed.some((a) => canonicalToken(a) === canonicalToken(value));
  if (field === "source") return allowed.some((a) => normalizeSource(a) === normalizeSource(value));
  if (field === "zip") return allowed.some((a) => value.startsWith(canonicalPostalCode(a)));
  return allowed.some((a) => sameText(a, value));
}

/** The value a rule's field is compared with: the lead's own, or for `zip` the postal code of its address. */
function leadValue(lead: RoutableLead, field: string): unknown {
  return field === "zip" ? postalCodeOf(lead.serviceAddress) : lead[field as keyof RoutableLead];
}

/** First matching rule wins; a match field lists allowed values; an empty match matches all. */
export function matchRule(rules: RoutingRule[], lead: RoutableLead): number | null {
  const index = rules.findIndex((rule) =>
    Object.entries(rule.match).every(([field, allowed]) => {
      if (allowed === undefined) return true;
      const value = leadValue(lead, field);
      return typeof value === "string" && fieldMatches(field, allowed as string[], value);
    }),
  );
  return index === -1 ? null : index;
}

/**
 * Least recently offered first (never-offered before anyone), then team order: a role held by
 * several members is served round robin.
 */
export function pickRoundRobin(candidates: Member[], lastOfferedAt: ReadonlyMap<string, Date>): Member | null {
  let best: Member | null = null;
  let bestAt = Infinity;
  for (const m of candidates) {
    const at = lastOfferedAt.get(m.id)?.getTime() ?? -Infinity;
    if (at < bestAt) {
      best = m;
      bestAt = at;
    }
  }
  return best;
}

/**
 * Available members holding a role at `at`, in team order: for a role with schedules, the
 * member on duty (on-duty.ts roleHolding).
 */
export function holders(config: BusinessConfig, role: string, opts: { at: Date; excluding?: string[] }): Member[] {
  return roleHolding(config, role, opts.at).members.filter((m) => !opts.excluding?.includes(m.id));
}

/**
 * One owner for a lead at `at`. The rule's role (round robin, weighted by `weight`) or member;
 * when that is empty or unavailable, the manager role. Emergency work is never left unowned: it
 * falls further to on-call, dispatch, anyone available, and at last anyone on the team.
 *
 * Hours (CONTRACT §10): non-urgent work goes to a holder who is working now; when none is, to
 * the one chosen anyway, deferred to their next opening. Urgent work goes to a working holder of
 * the rule's target, else to whoever is on call now, day or night.
 *
 * `maxOpen`: a member with that many open leads (`openLeads`) is passed over, and the decision
 * lists them in `skipped`. When every candidate of the target is at their cap the lead falls
 * back as if the target were empty (the manager; for urgent work on-call, manager, dispatch);
 * when those are capped too a non-urgent lead gets no owner (null: it stays with intake), while an
 * emergency's last fallback, anyone on the team, ignores caps as it ignores availability.
 */
export function chooseOwner(
  config: BusinessConfig,
  lead: RoutableLead,
  memory: ReadonlyMap<string, Date> | RoundRobinMemory,
  opts: { at: Date; excluding?: string[]; openLeads?: ReadonlyMap<string, number> },
): RoutingDecision | null {
  const rr: RoundRobinMemory = memory instanceof Map ? { lastOfferedAt: memory } : (memory as RoundRobinMemory);
  const ruleIndex = matchRule(config.routing, lead);
  const rule = ruleIndex === null ? null : config.routing[ruleIndex]!;
  const urgent = isEmergency(lead.urgency);
  const skipped: { memberId: string; why: string }[] = [];
  const underCap = (members: Member[]) =>
    members.filter((m) => {
      const open = opts.openLeads?.get(m.id) ?? 0;
      if (m.maxOpen === undefined || open < m.maxOpen) return true;
      if (!skipped.some((s) => s.memberId === m.id)) skipped.push({ memberId: m.id, why: `at maxOpen (${open} open, cap ${m.maxOpen})` });
      return false;
    });
  const working = (members: Member[]) => members.filter((m) => isWorking(config, m, opts.at));
  const pick = (members: Member[]) => pickWeighted(members, rr);
  const decided = (p: { member: Member; pass: number }, via: string, deferUntil?: Date): RoutingDecision => ({
    member: p.member,
    pass: p.pass,
    ruleIndex,
    via,
    ...(skipped.length > 0 && { skipped: [...skipped] }),
    ...(deferUntil && { deferUntil }),
  });
  const decide = (all: Member[], via: string, anyHours = false): RoutingDecision | null => {
    const candidates = underCap(all);
    const now = pick(working(candidates));
    if (now) return decided(now, via);
    const later = pick(candidates);
    if (!later) return null;
    if (anyHours) return decided(later, via);
    const opening = nextOpening(config, later.member, opts.at);
    return decided(later, via, opening && opening > opts.at ? opening : undefined);
  };
  const holdersOf = (role: string) => holders(config, role, opts);

  let target: { candidates: Member[]; via: string } | null = null;
  if (rule && "member" in rule.to) {
    const member = config.team.find((m) => m.id === (rule.to as { member: string }).member);
    if (member?.available && !opts.excluding?.includes(member.id)) target = { candidates: [member], via: `member:${member.id}` };
  } else if (rule && "role" in rule.to) {
    target = { candidates: holdersOf(rule.to.role), via: `role:${rule.to.role}` };
  }

  if (urgent) {
    // Someone working who the rule names; else on call now, whatever the hour.
    const now = target && pick(working(underCap(target.candidates)));
    if (target && now) return decided(now, target.via);
    for (const role of ["on_call", "manager", "dispatch"]) {
      const member = pick(underCap(holdersOf(role)));
      if (member) return decided(member, target?.candidates.length ? `on_call:${role}` : `fallback:${role}`);
    }
    const held = target?.candidates.length ? decide(target.candidates, target.via, true) : null;
    if (held) return held;
    const anyone =
      pick(config.team.filter((m) => m.available && !opts.excluding?.includes(m.id))) ?? pick(config.team);
    return anyone ? decided(anyone, "fallback:anyone") : null;
  }

  if (target) {
    const decision = decide(target.candidates, target.via);
    if (decision) return decision;
  }
  return decide(holdersOf("manager"), "fallback:manager");
}

/**
 * The config as routing sees it right now: members who texted AWAY are unavailable (CONTRACT §9),
 * as if the config said `available: false`, without touching the stored config.
 */
export function withAwayMembers(config: BusinessConfig, away: ReadonlySet<string>): BusinessConfig {
  if (away.size === 0) return config;
  return { ...config, team: config.team.map((m) => (away.has(m.id) ? { ...m, available: false } : m)) };
}
