/**
 * `npm run bench:statements`: how many SQL statements and transactions one lead costs, from
 * webhook to offer, by statement. Sends BENCH_LEADS (default 200) complete intake webhooks to acme
 * at 20 leads/s (no queueing, so nothing is batched by luck), waits until every one is offered,
 * and reads PostgreSQL's own counters for the bench database:
 *   - pg_stat_statements (calls per statement; needs `shared_preload_libraries = 'pg_stat_statements'`,
 *     otherwise only transactions are counted and the bench says how to turn it on);
 *   - pg_stat_database.xact_commit (transactions, including single-statement ones).
 * Statements the bench itself runs (its polling, its counters) are left out by their text.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:statements
 */
import { HEADERS, intFromEnv, nextPayload, runIfEntry, sleep, withBenchRun, type Sql } from "./intake.ts";

const LEADS = intFromEnv("BENCH_LEADS", 200, 20, 5_000);
const RATE = 20;

/** The bench's own statements: its polling (bench/intake.ts inboxCounts) and these counters. */
const OWN = /pg_stat_|count\(\*\)::int as n|pg_extension|current_database\(\)/;

async function send(base: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const started = Date.now();
    const res = await fetch(`${base}/webhooks/acme/intake`, { method: "POST", headers: HEADERS, body: nextPayload({ complete: true }) });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    await sleep(Math.max(0, 1000 / RATE - (Date.now() - started)));
  }
}

async function commits(sql: Sql): Promise<number> {
  // Counters are flushed by each backend at most once a second when idle: wait for them.
  await sleep(1_500);
  const [row] = await sql<{ n: string }[]>`select xact_commit::text as n from pg_stat_database where datname = current_database()`;
  return Number(row!.n);
}

async function offered(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(distinct lead_id)::int as n from outbound_messages where purpose = 'offer' and sent_at is not null`;
  return row!.n;
}

/** Polls until `target` leads have a sent offer (at most 60 s); returns how many polls it made. */
async function waitOffered(sql: Sql, target: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  let polls = 0;
  for (;;) {
    polls++;
    if ((await offered(sql)) >= target) return polls;
    if (Date.now() > deadline) throw new Error(`fewer than ${target} leads were offered within 60 s`);
    await sleep(100);
  }
}

async function main() {
  await withBenchRun(`${LEADS} complete leads to acme at ${RATE}/s`, async ({ gateway, sql }) => {
    let statements = true;
    try {
      await sql`create extension if not exists pg_stat_statements`;
      await sql`select pg_stat_statements_reset()`;
    } catch (err) {
      statements = false;
      console.log(`pg_stat_statements is not available (${String(err).slice(0, 120)}); counting transactions only.`);
      console.log(`To count statements: ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'; restart PostgreSQL.`);
    }
    // Warm up (first queries prepare statements, caches fill), then count from a clean slate.
    await send(gateway.base, 20);
    await waitOffered(sql, 20);
    const offeredBefore = await offered(sql);
    if (statements) await sql`select pg_stat_statements_reset()`;
    const before = await commits(sql);
    await send(gateway.base, LEADS);
    const polls = await waitOffered(sql, offeredBefore + LEADS);
    // Let the last leads' follow-ups (timer scheduling, the inbox row's finish) end too.
    await sleep(1_000);
    const after = await commits(sql);
    const leads = (await offered(sql)) - offeredBefore;
    // The bench's own transactions in the window: its polls and the counter read that ends it.
    const own = polls + 1;
    console.log(`\n${leads} leads offered; per lead:`);
    console.log(`  transactions committed: ${((after - before - own) / leads).toFixed(1)}`);
    if (!statements) return;
    const rows = await sql<{ calls: string; query: string }[]>`
      select s.calls::text as calls, s.query from pg_stat_statements s
      join pg_database d on d.oid = s.dbid where d.datname = current_database()`;
    const mine = rows.filter((r) => !OWN.test(r.query));
    const total = mine.reduce((sum, r) => sum + Number(r.calls), 0);
    console.log(`  statements: ${(total / leads).toFixed(1)}\n`);
    const top = mine
      .map((r) => ({ perLead: Number(r.calls) / leads, query: r.query.replace(/\s+/g, " ") }))
      .filter((r) => r.perLead >= 0.05)
      .sort((a, b) => b.perLead - a.perLead);
    for (const r of top) console.log(`  ${r.perLead.toFixed(2).padStart(5)}  ${r.query.length > 140 ? `${r.query.slice(0, 137)}…` : r.query}`);
  });
}

runIfEntry(import.meta.url, main);
