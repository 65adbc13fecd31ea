/**
 * The metrics query of GET /api/metrics (admin/metrics.ts leadMetrics) at a million leads:
 * seeds one business with 1,000,000 leads over a year and their history (created, offered,
 * accepted, escalated, rejected, answered: about 3.3 M lead_events) with generate_series in
 * PostgreSQL, then times the query over a month, a quarter and the whole year (median of 3
 * runs each, after one warm-up), the Prometheus exposition and the QA sample of one week.
 *
 *   npm run bench:metrics
 *   BENCH_DATABASE_URL=postgres://me@127.0.0.1:5432/postgres BENCH_LEADS=200000 npm run bench:metrics
 *
 * Needs a role that may CREATE DATABASE; the bench's own `handoff_t_bench_metrics_…` database is
 * dropped at the end (also on an error), unless BENCH_KEEP_DATABASE is set (to look at plans). Reads process.env itself: a bench entry, not the gateway.
 * Prints figures; the exit code only says whether the run itself worked.
 */
import postgres from "postgres";
import { connectPostgres } from "../src/db/postgres.ts";
import { migrate } from "../src/db/migrate.ts";
import { applyBusinessConfig } from "../src/admin/businesses.ts";
import { leadMetrics } from "../src/admin/metrics.ts";
import { prometheusText } from "../src/admin/prometheus.ts";
import { qaWeek } from "../src/admin/qa.ts";
import { TestClock } from "../src/adapters/clock/clock.ts";
import type { Deps } from "../src/core/deps.ts";
import demo from "../fixtures/demo-business.json" with { type: "json" };

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const YEAR_START = new Date("2026-01-01T06:00:00Z");
/** Leads spread evenly over 364 days. */
const SPACING_S = (364 * 24 * 3600) / LEADS;

const ms = (start: number) => Math.round(performance.now() - start);

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: plans cached, pages in memory
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return Math.round(times.sort((a, b) => a - b)[Math.floor(runs / 2)]!);
}

async function main() {
  const name = `handoff_t_bench_metrics_${crypto.randomUUID().replace(/-/g, "").slice(0, 10)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), { max: 2 });
  const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await migrate(handle);
    const { business } = await applyBusinessConfig(handle.db, demo, { appliedBy: "bench", now: YEAR_START });
    // A second business with its own leads, so the business filter has something to skip.
    await applyBusinessConfig(handle.db, { ...demo, slug: "other" }, { appliedBy: "bench", now: YEAR_START });

    let start = performance.now();
    // One row per lead; the mix by i: every 7th urgent, every 5th a missed call, every 11th an
    // estimate; 8% never accepted; 5% rejected once; 10% escalated; 3% completed by the caller.
    await raw.unsafe(`
      insert into leads (business_id, code, state, full_name, phone, service_address, service_type, urgency, source, summary_notes,
        promised_next_step, owner_id, lead_type, opportunity, channel, rejections, escalation_level, outcome,
        created_at, updated_at, offered_at, first_offered_at, accepted_at, closed_at)
      select '${business.id}'::uuid, i,
        case when i % 25 = 0 then 'offered' when i % 3 = 0 then 'accepted' else 'closed' end,
        'Caller ' || i, '+1512' || lpad((i % 10000000)::text, 7, '0'), i || ' Elm St, Austin TX', 'plumbing',
        case when i % 7 = 0 then 'emergency' else 'standard' end,
        case when i % 5 = 0 then 'missed_call' when i % 2 = 0 then 'website' else 'google' end,
        'Leak under the sink', 'Call back to book',
        (array['dana','omar','sam','ivy'])[1 + i % 4],
        case when i % 11 = 0 then 'estimate' else 'service' end, 'standard',
        (array['vapi','retell','twilio_voice','intake_api','manual'])[1 + i % 5],
        case when i % 20 = 0 then jsonb_build_array(jsonb_build_object('reason', (array['no gate code','wrong address','no callback time'])[1 + i % 3], 'by', 'dana', 'at', t::text)) else '[]'::jsonb end,
        case when i % 10 = 0 then 1 else 0 end,
        case when i % 25 = 0 or i % 3 = 0 then null else (array['booked','lost','booked','spam'])[1 + i % 4] end,
        t, t, t + ((i % 120) || ' seconds')::interval, t + ((i % 120) || ' seconds')::interval,
        case when i % 25 = 0 then null else t + ((i % 120) + 30 + (i::bigint * 7919) % 1500 || ' seconds')::interval end,
        case when i % 25 = 0 or i % 3 = 0 then null else t + interval '2 hours' end
      from (select i, timestamptz '${YEAR_START.toISOString()}' + (i * ${SPACING_S}) * interval '1 second' as t from generate_series(1, ${LEADS}) i) s`);
    await raw.unsafe(`
      insert into leads (business_id, code, state, channel, urgency, source, created_at, updated_at)
      select b.id, i, 'intake', 'manual', 'standard', 'website', timestamptz '${YEAR_START.toISOString()}' + i * interval '1 hour', now()
      from businesses b, generate_series(1, 5000) i where b.slug = 'other'`);
    const leadsMs = ms(start);

    start = performance.now();
    await raw.unsafe(`
      insert into lead_events (lead_id, at, type, actor, detail)
      select id, created_at, 'created', 'api', '{}'::jsonb from leads where business_id = '${business.id}'
      union all select id, first_offered_at, 'offered', 'system', jsonb_build_object('to', owner_id, 'class', 'standard', 'missingFields', '[]'::jsonb) from leads where first_offered_at is not null and business_id = '${business.id}'
      union all select id, accepted_at, 'accepted', 'member:' || owner_id, '{}'::jsonb from leads where accepted_at is not null and business_id = '${business.id}'
      union all select id, offered_at + interval '5 minutes', 'escalated', 'system', jsonb_build_object('from', owner_id, 'to', 'mia', 'level', 1) from leads where escalation_level > 0 and business_id = '${business.id}'
      union all select id, created_at + interval '1 minute', 'rejected', 'member:dana', jsonb_build_object('reason', rejections->0->>'reason') from leads where rejections <> '[]'::jsonb and business_id = '${business.id}'
      union all select id, first_offered_at - interval '1 second', 'answered', 'customer', jsonb_build_object('field', 'serviceAddress') from leads where code % 33 = 0 and business_id = '${business.id}'`);
    const eventsMs = ms(start);
    start = performance.now();
    await raw.unsafe("analyze leads; analyze lead_events");
    const analyzeMs = ms(start);
    const [counted] = await raw.unsafe<{ n: string }[]>("select count(*)::text as n from lead_events");
    const events = counted?.n ?? "0";

    console.log(`seeded ${LEADS.toLocaleString("en-US")} leads in ${leadsMs} ms, ${Number(events).toLocaleString("en-US")} lead events in ${eventsMs} ms, analyze ${analyzeMs} ms`);

    const ranges: [string, Date, Date][] = [
      ["one month", new Date("2026-06-01T05:00:00Z"), new Date("2026-07-01T05:00:00Z")],
      ["one quarter", new Date("2026-04-01T05:00:00Z"), new Date("2026-07-01T05:00:00Z")],
      ["the whole year", YEAR_START, new Date("2027-01-01T06:00:00Z")],
    ];
    for (const [label, from, to] of ranges) {
      let leads = 0;
      const t = await median(3, async () => (leads = (await leadMetrics(handle.db, business, from, to)).leads));
      console.log(`GET /api/metrics over ${label}: ${leads.toLocaleString("en-US")} leads counted, median ${t} ms`);
    }
    const clock = new TestClock();
    clock.set("2026-06-10T15:00:00Z");
    const deps = { db: handle.db, clock } as unknown as Deps;
    let items = 0;
    let handoffs = 0;
    const qa = await median(3, async () => {
      const week = await qaWeek(deps, business, "2026-W24");
      items = week.items.length;
      handoffs = week.handoffs;
    });
    const scrape = await median(3, () => prometheusText(handle.db));
    console.log(`GET /metrics (Prometheus, every business, uncached): median ${scrape} ms`);
    console.log(`GET /api/qa for 2026-W24 (${handoffs.toLocaleString("en-US")} handoffs, ${items} sampled): median ${qa} ms`);
  } finally {
    await raw.end({ timeout: 5 });
    await handle.close();
    if (process.env.BENCH_KEEP_DATABASE) console.log(`kept database ${name} (drop it when done)`);
    else await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
