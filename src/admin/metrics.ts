import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { acceptanceWindowMs } from "../domain/escalation-policy.ts";
import type { BusinessRow } from "../core/records.ts";

/**
 * Speed-to-lead metrics of CONTRACT §12, counted in the database (one scan of the business's
 * leads in the range, plus their escalations and answers through the lead index), so they stay
 * fast at a million leads (bench/metrics-1m.ts). A lead counts in a range by when it came in
 * (`created_at`). Definitions (docs/qa-metrics.md):
 * - time to offer: first offer − created; time to accept: accepted − the offer accepted;
 * - within window: accepted no later than the class's window (urgent, standard, estimate) after that offer;
 * - missed calls recovered: `missed_call` leads accepted or closed with a booked outcome;
 * - booked rate: booked outcomes (`booked` and the business's `booked: true`) over closed leads;
 * - completed by the customer: leads with an `answered` entry offered after their first answer;
 *   time to complete: that first offer − created.
 */

/** Upper bounds (seconds) of the time-to-accept distribution's buckets; one more bucket holds the longer waits. */
export const ACCEPT_DISTRIBUTION = [60, 300, 900, 1800, 3600, 14400, 86400];

export interface Percentiles {
  p50: number | null;
  p90: number | null;
}

export interface MemberMetrics {
  memberId: string;
  leads: number;
  accepted: number;
  timeToAcceptSeconds: Percentiles;
  acceptedWithinWindow: number;
  acceptedWithinWindowPct: number | null;
  escalations: number;
  rejections: number;
  closed: number;
  booked: number;
}

export interface Metrics {
  business: string;
  from: string;
  to: string;
  leads: number;
  byState: Record<string, number>;
  byChannel: Record<string, number>;
  bySource: Record<string, number>;
  byUrgency: Record<string, number>;
  timeToOfferSeconds: Percentiles;
  timeToAcceptSeconds: Percentiles;
  /** Accepted leads by how long they took, non-cumulative; `upToSeconds: null` is the longer ones. */
  timeToAcceptDistribution: { upToSeconds: number | null; leads: number }[];
  accepted: number;
  acceptedWithinWindow: number;
  acceptedWithinWindowPct: number | null;
  /** Accepted and within-window counts per ISO week the leads came in (business zone). */
  withinWindowByWeek: { week: string; accepted: number; withinWindow: number }[];
  escalations: { events: number; leads: number };
  rejections: { total: number; byReason: Record<string, number> };
  missedCalls: { total: number; recovered: number; recoveredPct: number | null };
  outcomes: { closed: number; booked: number; bookedRate: number | null; byOutcome: Record<string, number> };
  completedByCustomer: { leads: number; medianSecondsToComplete: number | null };
  members: MemberMetrics[];
}

type Row = Record<string, unknown>;
const rowsOf = (result: unknown): Row[] => (Array.isArray(result) ? result : ((result as { rows?: Row[] }).rows ?? []));
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);
const pct = (part: number, whole: number): number | null => (whole ? Math.round((part / whole) * 10_000) / 100 : null);
const byKey = (rows: Row[], key: string) => Object.fromEntries(rows.map((r) => [String(r[key] ?? "unknown"), num(r.n)]));

/** The outcomes of a business that count as bookings. */
export function bookedOutcomes(config: BusinessRow["config"]): string[] {
  return ["booked", ...(config.outcomes ?? []).filter((o) => o.booked).map((o) => o.id)];
}

/** The business's leads in [from, to) with what every figure reads, as a CTE: read once, counted many ways. */
function scope(business: BusinessRow, from: Date, to: Date): SQL {
  const config = business.config;
  const win = (cls: "urgent" | "standard" | "estimate") => acceptanceWindowMs(config, cls) / 1000;
  return sql`scope as materialized (
    select l.id, l.state, l.channel, l.source, l.urgency, l.owner_id, l.outcome, l.first_offered_at, l.created_at,
      case when l.rejections = '[]'::jsonb then null else l.rejections end as rejections,
      extract(epoch from (l.first_offered_at - l.created_at))::float8 as tto,
      extract(epoch from (l.accepted_at - l.offered_at))::float8 as tta,
      extract(epoch from (l.accepted_at - l.offered_at))::float8 <=
        case when l.urgency in ('emergency', 'active_loss') or l.opportunity = 'premium' then ${win("urgent")}::float8
             when l.lead_type in ('estimate', 'consult') then ${win("estimate")}::float8
             else ${win("standard")}::float8 end as within,
      coalesce(l.outcome in (${sql.join(bookedOutcomes(config).map((o) => sql`${o}`), sql`, `)}), false) as booked
    from leads l
    where l.business_id = ${business.id}::uuid and l.created_at >= ${from.toISOString()}::timestamptz and l.created_at < ${to.toISOString()}::timestamptz
  )`;
}

/**
 * The metrics of one business over [from, to): one statement, the range read once into a
 * materialized CTE and counted from there, each figure a JSON column (drivers parse JSON alike).
 */
export async function leadMetrics(db: Db, business: BusinessRow, from: Date, to: Date): Promise<Metrics> {
  const [row] = rowsOf(await db.execute(metricsQuery(business, from, to)));
  return toMetrics(business, from, to, row);
}

/** The one statement behind leadMetrics (exported for EXPLAIN in the bench). */
export function metricsQuery(business: BusinessRow, from: Date, to: Date): SQL {
  return sql`with ${scope(business, from, to)}
    select
      (select json_agg(x) from (
        select grouping(owner_id) as total, owner_id, count(*) as n, count(tta) as accepted,
          percentile_cont(array[0.5, 0.9]) within group (order by tto) as tto,
          percentile_cont(array[0.5, 0.9]) within group (order by tta) as tta,
          count(*) filter (where within) as within,
          json_build_array(${sql.join(
            ACCEPT_DISTRIBUTION.map((le, i) => {
              const lo = i === 0 ? null : ACCEPT_DISTRIBUTION[i - 1]!;
              return lo === null ? sql`count(*) filter (where tta <= ${le})` : sql`count(*) filter (where tta > ${lo} and tta <= ${le})`;
            }),
            sql`, `,
          )}, count(*) filter (where tta > ${ACCEPT_DISTRIBUTION.at(-1)!})) as distribution,
          count(*) filter (where source = 'missed_call') as missed,
          count(*) filter (where source = 'missed_call' and (tta is not null or booked)) as recovered,
          count(*) filter (where state = 'closed') as closed, count(*) filter (where booked) as booked
        from scope group by grouping sets ((), (owner_id))) x) as totals,
      (select json_agg(x) from (
        select grouping(state) as gs, grouping(channel) as gc, grouping(source) as gsrc, grouping(urgency) as gu, grouping(outcome) as go,
          state, channel, source, urgency, outcome, count(*) as n
        from scope group by grouping sets ((state), (channel), (source), (urgency), (outcome))) x) as groups,
      (select json_agg(x) from (
        select to_char(created_at at time zone ${business.config.timezone}, 'IYYY-"W"IW') as week, count(tta) as accepted, count(*) filter (where within) as within
        from scope group by 1 order by 1) x) as weeks,
      (select json_agg(x) from (
        select r->>'reason' as reason, r->>'by' as by, count(*) as n
        from scope, jsonb_array_elements(scope.rejections) r where scope.rejections is not null group by 1, 2) x) as rejections,
      (select json_agg(x) from (
        select grouping(e.detail->>'from') as total, e.detail->>'from' as member, count(*) as n, count(distinct e.lead_id) as leads
        from lead_events e join scope on scope.id = e.lead_id where e.type = 'escalated' group by rollup (e.detail->>'from')) x) as escalations,
      (select json_agg(x) from (
        select count(*) as n, percentile_cont(0.5) within group (order by scope.tto) as median
        from scope join (select e.lead_id, min(e.at) as first_answer from lead_events e join scope on scope.id = e.lead_id where e.type = 'answered' group by e.lead_id) a
          on a.lead_id = scope.id where scope.first_offered_at >= a.first_answer) x) as completed`;
}

function toMetrics(business: BusinessRow, from: Date, to: Date, row: Row | undefined): Metrics {
  const json = (v: unknown): Row[] => (typeof v === "string" ? JSON.parse(v) : ((v as Row[] | null) ?? []));
  const totalsAndMembers = json(row?.totals);
  const totals = totalsAndMembers.find((r) => num(r.total) === 1) ?? {};
  const members = totalsAndMembers
    .filter((r) => num(r.total) === 0 && r.owner_id !== null)
    .sort((a, b) => (String(a.owner_id) < String(b.owner_id) ? -1 : 1));
  // `answered` entries come with asking the caller (CONTRACT §15); with none recorded the figure is 0.
  const groups = json(row?.groups);
  const rejections = json(row?.rejections);
  const escalations = json(row?.escalations);
  const completed = json(row?.completed)[0] ?? {};
  const pair = (v: unknown): Percentiles => {
    const [p50, p90] = Array.isArray(v) ? v : [null, null];
    return { p50: numOrNull(p50), p90: numOrNull(p90) };
  };

  const group = (flag: string, key: string) => byKey(groups.filter((g) => num(g[flag]) === 0), key);
  const byOutcome = group("go", "outcome");
  delete byOutcome.unknown; // open leads have no outcome
  const escalationTotal = escalations.find((e) => num(e.total) === 1);
  const rejectedBy = (member: string) => rejections.filter((r) => r.by === member).reduce((a, r) => a + num(r.n), 0);
  const accepted = num(totals.accepted);
  const within = num(totals.within);
  const closed = num(totals.closed);
  const booked = num(totals.booked);
  const missed = num(totals.missed);
  const recovered = num(totals.recovered);
  const byReason: Record<string, number> = {};
  for (const r of rejections) byReason[String(r.reason)] = (byReason[String(r.reason)] ?? 0) + num(r.n);
  return {
    business: business.slug,
    from: from.toISOString(),
    to: to.toISOString(),
    leads: num(totals.n),
    byState: group("gs", "state"),
    byChannel: group("gc", "channel"),
    bySource: group("gsrc", "source"),
    byUrgency: group("gu", "urgency"),
    timeToOfferSeconds: pair(totals.tto),
    timeToAcceptSeconds: pair(totals.tta),
    timeToAcceptDistribution: [...ACCEPT_DISTRIBUTION, null].map((upToSeconds, i) => ({
      upToSeconds,
      leads: num(Array.isArray(totals.distribution) ? totals.distribution[i] : 0),
    })),
    accepted,
    acceptedWithinWindow: within,
    acceptedWithinWindowPct: pct(within, accepted),
    withinWindowByWeek: json(row?.weeks).map((w) => ({ week: String(w.week), accepted: num(w.accepted), withinWindow: num(w.within) })),
    escalations: { events: num(escalationTotal?.n), leads: num(escalationTotal?.leads) },
    rejections: { total: Object.values(byReason).reduce((a, b) => a + b, 0), byReason },
    missedCalls: { total: missed, recovered, recoveredPct: pct(recovered, missed) },
    outcomes: { closed, booked, bookedRate: pct(booked, closed), byOutcome },
    completedByCustomer: { leads: num(completed.n), medianSecondsToComplete: numOrNull(completed.median) },
    members: members.map((m) => {
      const id = String(m.owner_id);
      return {
        memberId: id,
        leads: num(m.n),
        accepted: num(m.accepted),
        timeToAcceptSeconds: pair(m.tta),
        acceptedWithinWindow: num(m.within),
        acceptedWithinWindowPct: pct(num(m.within), num(m.accepted)),
        escalations: num(escalations.find((e) => num(e.total) === 0 && e.member === id)?.n),
        rejections: rejectedBy(id),
        closed: num(m.closed),
        booked: num(m.booked),
      };
    }),
  };
}
