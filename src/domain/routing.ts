import type { BusinessConfig, Member, RoutingRule } from "./business-config.ts";
import { isEmergency, normalizeSource, type Channel, type LeadFields } from "./lead.ts";

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

/** Available members holding a role, in team order. */
export function holders(config: BusinessConfig, role: string, opts: { excluding?: string[] } = {}): Member[] {
  return config.team.filter((m) => m.available && m.roles.includes(role) && !opts.excluding?.includes(m.id));
}

/**
 * One owner for a lead. The rule's role (round robin) or member; when that is empty or
 * unavailable, the manager role. Emergency work is never left unowned: it falls further to
 * on-call, dispatch, anyone available, and at last anyone on the team.
 */
export function chooseOwner(
  config: BusinessConfig,
  lead: RoutableLead,
  lastOfferedAt: ReadonlyMap<string, Date>,
  opts: { excluding?: string[] } = {},
): RoutingDecision | null {
  const ruleIndex = matchRule(config.routing, lead);
  const rule = ruleIndex === null ? null : config.routing[ruleIndex]!;
  const pick = (role: string) => pickRoundRobin(holders(config, role, opts), lastOfferedAt);

  if (rule && "member" in rule.to) {
    const member = config.team.find((m) => m.id === (rule.to as { member: string }).member);
    if (member?.available && !opts.excluding?.includes(member.id)) return { member, ruleIndex, via: `member:${member.id}` };
  } else if (rule && "role" in rule.to) {
    const member = pick(rule.to.role);
    if (member) return { member, ruleIndex, via: `role:${rule.to.role}` };
  }

  const fallbacks = isEmergency(lead.urgency) ? ["manager", "on_call", "dispatch"] : ["manager"];
  for (const role of fallbacks) {
    const member = pick(role);
    if (member) return { member, ruleIndex, via: `fallback:${role}` };
  }
  if (!isEmergency(lead.urgency)) return null;
  const anyone =
    pickRoundRobin(config.team.filter((m) => m.available && !opts.excluding?.includes(m.id)), lastOfferedAt) ??
    pickRoundRobin(config.team, lastOfferedAt);
  return anyone ? { member: anyone, ruleIndex, via: "fallback:anyone" } : null;
}

/**
 * The config as routing sees it right now: members who texted AWAY are unavailable (CONTRACT §9),
 * as if the config said `available: false`, without touching the stored config.
 */
export function withAwayMembers(config: BusinessConfig, away: ReadonlySet<string>): BusinessConfig {
  if (away.size === 0) return config;
  return { ...config, team: config.team.map((m) => (away.has(m.id) ? { ...m, available: false } : m)) };
}
