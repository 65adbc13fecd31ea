/**
 * `npm run bench:workerd`: webhook → offer with the gateway running in workerd, the way it runs on
 * Cloudflare Workers (src/worker.ts): ingress in the fetch handler, the processing of each webhook
 * (extraction, lead, routing, the offer text) in that request's `ctx.waitUntil`.
 *
 * Creates a throwaway database on BENCH_DATABASE_URL's server (else DATABASE_URL's, else
 * postgres://postgres@127.0.0.1:5432/test), migrates it with the project's migrate and applies the
 * demo business (test/helpers/workerd.ts, as an operator does before `wrangler deploy`: the Worker
 * never migrates), starts src/worker.ts in workerd as `wrangler dev` does (same wrangler.toml,
 * bundle and workerd) with DATABASE_URL to it, no Twilio/OpenAI/QStash bindings (dry-run texts,
 * heuristic extraction), and then per rate (BENCH_RATES, default 10,25,50 leads/s, BENCH_SECONDS
 * each, default 10) sends signed intake webhooks of complete leads to acme on a
 * coordinated-omission-correct schedule (bench/fixed-rate.ts) and waits until nothing is left to do
 * (at most 180 s). Per rate: the 2xx p50/p99/max from each request's due time; arrival → offer
 * p50/p99/max from the stored timestamps (bench/stored-offer-latency.ts, the same query as
 * bench:offer-latency); events stored vs offered; PostgreSQL sessions opened per lead and the most
 * open at once; CPU of each workerd process, of PostgreSQL and of this process.
 *
 * What it measures: one local workerd (one isolate, one thread: every request and every waitUntil
 * share it) behind wrangler's dev proxy (a second workerd process that forwards each request),
 * talking to PostgreSQL directly. What it does not: Hyperdrive (each request opens and closes its
 * own PostgreSQL connection, so every lead pays a connection set-up that Hyperdrive's pool would
 * save), Cloudflare's edge network (no TLS, no distance to the database, no isolates spread over
 * machines: production runs many isolates side by side), the Workers CPU and waitUntil limits (not
 * enforced locally), QStash (not on the offer path: it only delivers timers, e.g. escalations) and
 * the Cron Trigger (not fired locally; a webhook whose waitUntil did not finish stays unprocessed,
 * which the drain then reports).
 *
 *   npm run bench:workerd
 *   BENCH_RATES=5,20 BENCH_SECONDS=5 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:workerd
 */
import os from "node:os";
import postgres from "postgres";
import { sendAtFixedRate, quantile, type FixedRateResult } from "./fixed-rate.ts";
import { ADMIN_URL, HEADERS, RUN_TAG, cleanUpOnAbort, cpuLine, drainGateway, f1, intFromEnv, nextPayload, runIfEntry, sampleSessions, sleep, snapshot, table, type Drain, type Sql } from "./intake.ts";
import { ms, offerLatency, type OfferLatency } from "./stored-offer-latency.ts";
import { workerdProcesses } from "./workerd-processes.ts";
import { createWorkerDatabase, startWorkerd, type RunningWorker, type WorkerDatabase } from "../test/helpers/workerd.ts";

const SECONDS = intFromEnv("BENCH_SECONDS", 10, 3, 120);
const RATES = (process.env.BENCH_RATES ?? "10,25,50").split(",").map((r) => {
  const n = Number(r);
  if (!Number.isInteger(n) || n < 1 || n > 2_000) throw new Error("BENCH_RATES must be integers from 1 to 2000, comma-separated");
  return n;
});
/** Sockets to the worker; more requests than this wait in the sender's queue, and that wait is counted. */
const SOCKETS = intFromEnv("BENCH_SOCKETS", 64, 1, 1_024);
const PATH = "/webhooks/acme/intake";
const WARMUP_RATE = 10;
const WARMUP_SECONDS = 3;
/** Whatever happens, the run ends (and cleans up) by then. */

interface Phase {
  rate: number;
  load: FixedRateResult;
  drain: Drain;
  offers: OfferLatency;
  cpuLoad: string;
  cpuDrain: string;
  sessions: string;
  /** PostgreSQL sessions the bench database saw opened during load + drain (pg_stat_database). */
  connectionsOpened: number;
  /** The most backends connected to the bench database at once (sampled). */
  peakConnections: number;
}

interface Bench {
  worker: RunningWorker;
  sql: Sql;
  cpuNames: Map<number, string>;
}

/** Sessions ever opened on this database (PostgreSQL 14+), for connections per lead. */
async function sessionsOpened(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select sessions::int as n from pg_stat_database where datname = current_database()`;
  return row?.n ?? NaN;
}

/** Samples how many backends are connected to this database, every 100 ms until stopped; the most seen. */
function samplePeakConnections(sql: Sql): { stop(): Promise<number> } {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
      peak = Math.max(peak, row?.n ?? 0);
      await sleep(100);
    }
  })().catch(() => {});
  return {
    async stop() {
      stopped = true;
      await loop;
      return peak;
    },
  };
}

async function runPhase(bench: Bench, rate: number, seconds: number, tag: string): Promise<Phase> {
  const { worker, sql, cpuNames } = bench;
  const pids = [...cpuNames.keys()];
  const since = Date.now() - 1_000;
  const opened = await sessionsOpened(sql);
  const peak = samplePeakConnections(sql);
  const sampler = sampleSessions(sql, seconds * 1000 + 200_000, { topWaits: 4 });
  const before = snapshot(pids);
  const load = await sendAtFixedRate({
    base: worker.url.origin,
    rate,
    seconds,
    connections: SOCKETS,
    headers: HEADERS,
    next: () => {
      const body = nextPayload({ complete: true, tag });
      return { key: JSON.parse(body).externalId as string, path: PATH, body };
    },
  });
  const loaded = snapshot(pids);
  const drain = await drainGateway(sql, Date.now());
  const drained = snapshot(pids);
  const offers = await offerLatency(sql, since, load.dueAt);
  const sessions = await sampler.stop();
  const peakConnections = await peak.stop();
  return {
    rate,
    load,
    drain,
    offers,
    cpuLoad: cpuLine(before, loaded, cpuNames, "bench"),
    cpuDrain: cpuLine(loaded, drained, cpuNames, "bench"),
    sessions,
    // The bench's own connection was open before `opened` was read, so it is not counted.
    connectionsOpened: (await sessionsOpened(sql)) - opened,
    peakConnections,
  };
}

function report(phases: Phase[]): void {
  console.log(`\nPOST ${PATH} in workerd, ${SECONDS} s per rate (ms unless marked s; the 2xx from each request's due time)\n`);
  const rows = [["rate", "sent", "2xx", "2xx p50", "2xx p99", "2xx max", "offered/stored", "arrival→offer p50", "p99", "max", "due→offer p99", "drain", "PG sessions/lead", "most open"]];
  for (const p of phases) {
    const l = p.load;
    const o = p.offers;
    rows.push([
      `${p.rate}/s`,
      String(l.sent),
      String(l.ok) + (l.non2xx || l.errors ? ` (${l.non2xx} non-2xx, ${l.errors} errors)` : ""),
      ms(quantile(l.latencies, 0.5)),
      ms(quantile(l.latencies, 0.99)),
      ms(quantile(l.latencies, 1)),
      `${o.offered}/${o.events}`,
      ms(quantile(o.arrival, 0.5)),
      ms(quantile(o.arrival, 0.99)),
      ms(quantile(o.arrival, 1)),
      ms(quantile(o.due, 0.99)),
      `${p.drain.drained ? "" : "NOT drained "}${f1(p.drain.ms / 1000)} s`,
      f1(p.connectionsOpened / Math.max(1, l.sent)),
      String(p.peakConnections),
    ]);
  }
  console.log(table(rows));
  for (const p of phases) {
    console.log(`  ${p.rate}/s: sender lag max ${ms(p.load.maxDispatchLagMs)}; leads ${p.drain.leads} in all, outbox still queued ${p.drain.outboxQueued}, inbound events other than processed: ${p.drain.otherStatuses}`);
    console.log(`    CPU during load:  ${p.cpuLoad}`);
    console.log(`    CPU during drain: ${p.cpuDrain}`);
    for (const [why, n] of p.offers.unoffered) console.log(`    not offered: ${n} × ${why}`);
    console.log(`    PostgreSQL sessions (load + drain): ${p.sessions}`);
  }
}

async function main(): Promise<void> {
  let database: WorkerDatabase | undefined;
  let worker: RunningWorker | undefined;
  let sql: Sql | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await worker?.dispose().catch((err) => console.error(`could not stop workerd: ${String(err)}`));
      await sql?.end({ timeout: 2 }).catch(() => {});
      await database?.drop().catch((err) => console.error(`could not drop the bench database: ${String(err)}`));
    })());
  const stopWatchdog = cleanUpOnAbort(cleanup);

  try {
    const [load1] = os.loadavg();
    database = await createWorkerDatabase(ADMIN_URL);
    const dbName = new URL(database.url).pathname.slice(1);
    console.log(
      `bench database ${dbName} on ${new URL(ADMIN_URL).host} (migrated, demo business applied); ${os.cpus().length} cores, load average ${f1(load1!)} at start; ` +
        `rates ${RATES.join(", ")} leads/s, ${SECONDS} s each, ${SOCKETS} sockets`,
    );
    const spawnedBefore = new Set(workerdProcesses().map((p) => p.pid));
    worker = await startWorkerd({ DATABASE_URL: database.url, ADMIN_TOKEN: `bench-${RUN_TAG}` });
    // The first request loads the Worker (the gateway's workerd may only start now): seconds, not counted.
    const started = Date.now();
    const first = await worker.fetch(PATH, { method: "POST", headers: HEADERS, body: nextPayload({ complete: true, tag: "smoke-" }), signal: AbortSignal.timeout(60_000) });
    if (first.status !== 200) throw new Error(`the worker answered ${first.status} to a signed intake: ${await first.text()}`);
    const workerd = workerdProcesses(Number(worker.url.port)).filter((p) => !spawnedBefore.has(p.pid));
    if (!workerd.length) console.log("no workerd process of this bench found under /proc: no workerd CPU figures");
    const cpuNames = new Map(workerd.map((p) => [p.pid, p.listensOnPort ? "workerd (dev proxy)" : "workerd (gateway)"]));
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    const bench: Bench = { worker, sql, cpuNames };
    console.log(`workerd at ${worker.url.origin} (${[...cpuNames].map(([pid, name]) => `${name} pid ${pid}`).join(", ")}); first webhook answered in ${Date.now() - started} ms; warming up at ${WARMUP_RATE}/s for ${WARMUP_SECONDS} s…`);
    const warm = await runPhase(bench, WARMUP_RATE, WARMUP_SECONDS, "warm-");
    console.log(`  warm-up: ${warm.load.ok}/${warm.load.sent} 2xx, ${warm.offers.offered}/${warm.offers.events} offered, drained: ${warm.drain.drained}`);

    const phases: Phase[] = [];
    for (const rate of RATES) {
      console.log(`${rate} leads/s…`);
      phases.push(await runPhase(bench, rate, SECONDS, `r${rate}-`));
    }
    report(phases);
    console.log(`\nload average now ${f1(os.loadavg()[0]!)}`);
  } finally {
    stopWatchdog();
    await cleanup();
  }
}

runIfEntry(import.meta.url, main);
