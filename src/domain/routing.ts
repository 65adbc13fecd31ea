import type { BusinessConfig, Member, RoutingRule } from "./business-config.ts";
import { isEmergency, normalizeSource, type Channel, type LeadFields } from "./lead.ts";
import { isWorking, nextOpening, roleHolding } from "./on-duty.ts";

/** What routing reads of a lead. */
export type RoutableLead = Pick<
  LeadFields,
  "urgency" | "opportunity" | "leadType" | "source" | "serviceType" | "fit" | "market"
> & { channel: Channel };

export interface RoutingDecision {
  member: Member;
  /** Index of the rule that matched, or null when no rule matched. */
  ruleIndex: number | null;
  /** How the member was found: the rule's target, or the fallback that stood in for it. */
  via: string;
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
 * are validated in the config, so exact. Sources are stored in one spelling (normalizeSource), so a
 * rule's "Google Ads" is compared as google_ads; other free text ignores case and spacing.
 */
function fieldMatches(field: string, allowed: string[], value: string): boolean {
  if (field === "source") return allowed.some((a) => normalizeSource(a) === normalizeSource(value));
  if (field === "serviceType" || field === "market") return allowed.some((a) => sameText(a, value));
  return allowed.includes(value);
}

/** First matching rule wins; a match field lists allowed values; an empty match matches all. */
export function matchRule(rules: RoutingRule[], lead: RoutableLead): number | null {
  const index = rules.findIndex((rule) =>
    Object.entries(rule.match).every(([field, allowed]) => {
      if (allowed === undefined) return true;
      const value = lead[field as keyof RoutableLead];
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
 * One owner for a lead at `at`. The rule's role (round robin) or member; when that is empty or
 * unavailable, the manager role. Emergency work is never left unowned: it falls further to
 * on-call, dispatch, anyone available, and at last anyone on the team.
 *
 * Hours (CONTRACT §10): non-urgent work goes to a holder who is working now; when none is, to
 * the one chosen anyway, deferred to their next opening. Urgent work goes to a working holder of
 * the rule's target, else to whoever is on call now, day or night.
 */
export function chooseOwner(
  config: BusinessConfig,
  lead: RoutableLead,
  lastOfferedAt: ReadonlyMap<string, Date>,
  opts: { at: Date; excluding?: string[] },
): RoutingDecision | null {
  const ruleIndex = matchRule(config.routing, lead);
  const rule = ruleIndex === null ? null : config.routing[ruleIndex]!;
  const urgent = isEmergency(lead.urgency);
  const working = (members: Member[]) => members.filter((m) => isWorking(config, m, opts.at));
  const decide = (candidates: Member[], via: string, anyHours = false): RoutingDecision | null => {
    const now = pickRoundRobin(working(candidates), lastOfferedAt);
    if (now) return { member: now, ruleIndex, via };
    const later = pickRoundRobin(candidates, lastOfferedAt);
    if (!later) return null;
    if (anyHours) return { member: later, ruleIndex, via };
    const opening = nextOpening(config, later, opts.at);
    return { member: later, ruleIndex, via, ...(opening && opening > opts.at && { deferUntil: opening }) };
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
    const now = target && pickRoundRobin(working(target.candidates), lastOfferedAt);
    if (target && now) return { member: now, ruleIndex, via: target.via };
    for (const role of ["on_call", "manager", "dispatch"]) {
      const member = pickRoundRobin(holdersOf(role), lastOfferedAt);
      if (member) return { member, ruleIndex, via: target?.candidates.length ? `on_call:${role}` : `fallback:${role}` };
    }
    if (target?.candidates.length) return decide(target.candidates, target.via, true);
    const anyone =
      pickRoundRobin(config.team.filter((m) => m.available && !opts.excluding?.includes(m.id)), lastOfferedAt) ??
      pickRoundRobin(config.team, lastOfferedAt);
    return anyone ? { member: anyone, ruleIndex, via: "fallback:anyone" } : null;
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
