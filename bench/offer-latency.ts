/**
 * `npm run bench:offer-latency`: what the user feels. Per lead, from the webhook's arrival to the
 * offer handed to the messaging port, at fixed rates, on one business and spread over 100, beside
 * the time to the 2xx and the bare baseline at the same rate, in one run.
 *
 * For each rate (BENCH_RATES, default 50,100,200,400 leads/s) and BENCH_SECONDS (default 10):
 *   1. the baseline (bench/baseline-server.ts) at that rate: ingress only;
 *   2. the gateway, every lead for acme; then waits for the backlog to drain (at most 180 s);
 *   3. the gateway, lead i for business b<i mod 100> (created through PUT /api/businesses); drain.
 * Requests go out on a coordinated-omission-correct schedule (bench/fixed-rate.ts): latencies count
 * from each request's due time. Arrival → offer is read from the stored timestamps:
 * `inbound_events.received_at` (set in the route once the body is read) to the first
 * `outbound_messages.sent_at` of purpose `offer` for the event's lead (set right after
 * `messaging.send` returned; dry-run returns at once, so it is the hand-off). Due → offer adds the
 * time the webhook waited before the gateway read it.
 *
 * BENCH_WORKERS=N (default 0: one process does everything, as `npm start`) runs the gateway with
 * INTAKE_IN_WORKERS=1 and N `handoff worker` processes beside it on the same database and
 * environment (docs/workers.md), WORKER_CONCURRENCY passed on; the CPU lines then name each
 * worker and their sum.
 *
 *   npm run bench:offer-latency
 *   BENCH_RATES=50,200 BENCH_SECONDS=5 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:offer-latency
 *   BENCH_WORKERS=2 BENCH_RATES=200 npm run bench:offer-latency
 */
import os from "node:os";
import { readFileSync } from "node:fs";
import { sendAtFixedRate, quantile, type FixedRateResult } from "./fixed-rate.ts";
import { ms, offerLatency, type OfferLatency } from "./stored-offer-latency.ts";
import {
  HEADERS,
  assertAlive,
  cpuLine,
  drainGateway,
  f1,
  intFromEnv,
  nextPayload,
  runIfEntry,
  sampleSessions,
  snapshot,
  table,
  withBenchRun,
  type BenchRun,
  type Drain,
  type Server,
} from "./intake.ts";
import { startWorkerProcess, workersCpuSum } from "./workers.ts";

const SECONDS = intFromEnv("BENCH_SECONDS", 10, 3, 120);
const RATES = (process.env.BENCH_RATES ?? "50,100,200,400").split(",").map((r) => {
  const n = Number(r);
  if (!Number.isInteger(n) || n < 1 || n > 5_000) throw new Error("BENCH_RATES must be integers from 1 to 5000, comma-separated");
  return n;
});
const BUSINESSES = intFromEnv("BENCH_BUSINESSES", 100, 2, 1_000);
/** Sockets per target; more requests than this wait in the sender's queue, and that wait is counted. */
const SOCKETS = intFromEnv("BENCH_SOCKETS", 64, 1, 1_024);
/** `handoff worker` processes beside the gateway; 0 = the gateway processes intake itself. */
const WORKERS = intFromEnv("BENCH_WORKERS", 0, 0, 16);
/** Their pids, for the summed CPU figure. */
const workerPids: number[] = [];

interface Run {
  label: string;
  load: FixedRateResult;
  cpuLoad: string;
  cpuDrain: string;
  sessions: string;
  drain?: Drain;
  offers?: OfferLatency;
}

/** Creates b000…b<n-1> as copies of the demo business with their own numbers and slugs. */
async function createBusinesses(gateway: Server, token: string, n: number): Promise<string[]> {
  const demo = JSON.parse(readFileSync(new URL("../fixtures/demo-business.json", import.meta.url), "utf8"));
  delete demo.$schema;
  const slugs: string[] = [];
  for (let i = 0; i < n; i++) {
    const slug = `b${String(i).padStart(3, "0")}`;
    const config = { ...demo, slug, name: `Bench business ${i}`, numbers: [`+1512556${String(i).padStart(4, "0")}`] };
    const res = await fetch(`${gateway.base}/api/businesses/${slug}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(config),
    });
    if (!res.ok) throw new Error(`creating ${slug} answered ${res.status}: ${await res.text()}`);
    slugs.push(slug);
  }
  return slugs;
}

async function runLoad(run: BenchRun, target: Server, label: string, rate: number, pathFor: (i: number) => string, measureOffers: boolean): Promise<Run> {
  assertAlive(target);
  const pids = [...run.cpuNames.keys()];
  const tag = `${label.replace(/\W+/g, "")}-`;
  const since = Date.now() - 1_000;
  const before = snapshot(pids);
  const sampler = sampleSessions(run.sql, SECONDS * 1000 + 200_000, { topWaits: 4 });
  const load = await sendAtFixedRate({
    base: target.base,
    rate,
    seconds: SECONDS,
    connections: SOCKETS,
    headers: HEADERS,
    next: (i) => {
      const body = nextPayload({ complete: true, tag });
      return { key: JSON.parse(body).externalId as string, path: pathFor(i), body };
    },
  });
  const loaded = snapshot(pids);
  const cpu = (a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>) => cpuLine(a, b, run.cpuNames, "bench") + workersCpuSum(a, b, workerPids);
  const result: Run = { label, load, cpuLoad: cpu(before, loaded), cpuDrain: "", sessions: "" };
  if (measureOffers) {
    result.drain = await drainGateway(run.sql, Date.now());
    result.cpuDrain = cpu(loaded, snapshot(pids));
    result.offers = await offerLatency(run.sql, since, load.dueAt);
  }
  result.sessions = await sampler.stop();
  assertAlive(target);
  return result;
}

function report(rate: number, runs: Run[]): void {
  console.log(`\n${rate} leads/s for ${SECONDS} s (latencies in ms unless marked s; from each request's due time for the 2xx)\n`);
  const rows = [["", "sent", "2xx", "2xx p50", "2xx p99", "2xx max", "offered", "arrival→offer p50", "p99", "max", "due→offer p99", "drain"]];
  for (const r of runs) {
    const l = r.load.latencies;
    const o = r.offers;
    rows.push([
      r.label,
      String(r.load.sent),
      String(r.load.ok) + (r.load.non2xx || r.load.errors ? ` (${r.load.non2xx} non-2xx, ${r.load.errors} errors)` : ""),
      ms(quantile(l, 0.5)),
      ms(quantile(l, 0.99)),
      ms(quantile(l, 1)),
      o ? `${o.offered}/${o.events}` : "—",
      o ? ms(quantile(o.arrival, 0.5)) : "—",
      o ? ms(quantile(o.arrival, 0.99)) : "—",
      o ? ms(quantile(o.arrival, 1)) : "—",
      o ? ms(quantile(o.due, 0.99)) : "—",
      r.drain ? `${r.drain.drained ? "" : "NOT drained "}${f1(r.drain.ms / 1000)} s` : "—",
    ]);
  }
  console.log(table(rows));
  for (const r of runs) {
    console.log(`  ${r.label}: sender lag max ${ms(r.load.maxDispatchLagMs)}`);
    console.log(`    CPU during load: ${r.cpuLoad}`);
    if (r.drain) console.log(`    CPU during drain: ${r.cpuDrain}`);
    for (const [why, n] of r.offers?.unoffered ?? []) console.log(`    not offered: ${n} × ${why}`);
    console.log(`    PostgreSQL sessions (load${r.drain ? " + drain" : ""}): ${r.sessions}`);
  }
}

/** Starts the BENCH_WORKERS workers on the run's database, each named in the CPU lines. */
async function startWorkers(run: BenchRun): Promise<Server[]> {
  const concurrency = process.env.WORKER_CONCURRENCY || "8";
  const env = { DATABASE_URL: run.databaseUrl, ADMIN_TOKEN: run.adminToken, INTAKE_IN_WORKERS: "1", WORKER_CONCURRENCY: concurrency };
  const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => startWorkerProcess(`worker ${i + 1}`, env, run.children)));
  for (const w of workers) {
    run.cpuNames.set(w.child.pid!, w.name);
    workerPids.push(w.child.pid!);
  }
  if (workers.length) console.log(`${workers.length} handoff worker process(es) beside the gateway (INTAKE_IN_WORKERS=1), ${concurrency} intake rows at a time each (WORKER_CONCURRENCY)`);
  return workers;
}

async function main(): Promise<void> {
  const split = WORKERS ? `, gateway + ${WORKERS} handoff worker(s)` : ", one gateway process";
  await withBenchRun(`rates ${RATES.join(", ")} leads/s, ${SECONDS} s each, ${SOCKETS} sockets per target, ${BUSINESSES} businesses${split}`, async (run) => {
    const { gateway, baseline } = run;
    const workers = await startWorkers(run);
    const slugs = await createBusinesses(gateway, run.adminToken, BUSINESSES);
    console.log(`created ${slugs.length} businesses through PUT /api/businesses/{slug}; warming up…`);
    await runLoad(run, baseline, "warm-up baseline", 50, () => "/webhooks/acme/intake", false);
    await runLoad(run, gateway, "warm-up gateway", 50, (i) => `/webhooks/${slugs[i % slugs.length]}/intake`, true);
    for (const rate of RATES) {
      console.log(`${rate} leads/s…`);
      const runs = [
        await runLoad(run, baseline, "baseline (ingress only)", rate, () => "/webhooks/acme/intake", false),
        await runLoad(run, gateway, "gateway, 1 business", rate, () => "/webhooks/acme/intake", true),
        await runLoad(run, gateway, `gateway, ${slugs.length} businesses`, rate, (i) => `/webhooks/${slugs[i % slugs.length]}/intake`, true),
      ];
      report(rate, runs);
      workers.forEach(assertAlive);
    }
    for (const proc of [gateway, ...workers]) {
      const problems = proc.stderrTail().filter((l) => /^(warn|error) /.test(l));
      console.log(`\n${proc.name} warn/error lines in the last 200 of stderr: ${problems.length}`);
      for (const line of [...new Set(problems.map((l) => l.slice(0, 200)))].slice(0, 5)) console.log(`  ${line}`);
    }
    console.log(`load average now ${f1(os.loadavg()[0]!)}`);
  }, WORKERS ? { gatewayEnv: { INTAKE_IN_WORKERS: "1" } } : {});
}

runIfEntry(import.meta.url, main);
