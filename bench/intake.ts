/**
 * `npm run bench`: how fast does the real gateway acknowledge generic-intake webhooks, next to
 * the least a correct receiver can do (bench/baseline-server.ts) on the same PostgreSQL?
 *
 * Creates a throwaway database, starts both servers as their own processes, drives each with
 * autocannon on `POST /webhooks/acme/intake` (a distinct, signed, realistic payload per request)
 * in two phases — max throughput, then a fixed 200 req/s for latency — and prints the figures
 * against the goals, plus how long the gateway's work after the 2xx took to drain. Kills both
 * processes and drops the database on the way out, also on failure or Ctrl-C. Prints figures;
 * the exit code only says whether the run itself worked, never whether a goal was met.
 *
 *   npm run bench
 *   BENCH_DATABASE_URL=postgres://user@127.0.0.1:5432/postgres npm run bench
 *   BENCH_SECONDS=20 BENCH_CONNECTIONS=20 npm run bench
 *   BENCH_DEAD_WEBHOOK=1 npm run bench   # acme subscribes every lead event to a receiver that never answers
 *   BENCH_INGRESS_ONLY=1 npm run bench   # the gateway with INTAKE_IN_WORKERS=1 and no worker: ingress alone
 *
 * One file on purpose (bench/ is not the gateway): config, payloads, processes, load, CPU
 * accounting, drain and report, in that order.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import postgres from "postgres";

// ---------------------------------------------------------------------------------------------
// Configuration

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Any database on the server; only used to CREATE and DROP the bench database. */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const SECONDS = intFromEnv("BENCH_SECONDS", 10, 3, 120);
const CONNECTIONS = intFromEnv("BENCH_CONNECTIONS", 16, 10, 20);
const WARMUP_SECONDS = 3;
/** The fixed rate of the latency phase, and the goals of issue 3 item 8. */
const RATE = 200;
const GOAL_THROUGHPUT_RATIO = 0.5;
const GOAL_P99_MS = 50;
export const INTAKE_SECRET = "demo-intake-secret"; // fixtures/demo-business.json
const PATH = "/webhooks/acme/intake";
const START_TIMEOUT_MS = 60_000;
export const DRAIN_TIMEOUT_MS = 180_000;
const DRAIN_POLL_MS = 250;
/** Subscribe acme's lead events to an endpoint that takes connections and never answers (CONTRACT §13). */
const DEAD_WEBHOOK = process.env.BENCH_DEAD_WEBHOOK === "1";
/** The gateway stores and answers only (INTAKE_IN_WORKERS=1, no worker runs): nothing to drain. */
const INGRESS_ONLY = process.env.BENCH_INGRESS_ONLY === "1";
/** Whatever happens, the run ends (and cleans up) by then. */
const WATCHDOG_MS = 20 * 60_000;

export function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// autocannon 9 ships no types; this is the slice of its programmatic API the bench uses.

interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
interface LoadRequest {
  method: "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Called for every request; returns the request to send. */
  setupRequest?: (request: LoadRequest) => LoadRequest;
}
interface LoadResult {
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
  statusCodeStats: Record<string, { count: number | string }>;
}
type Autocannon = (
  opts: { url: string; connections: number; duration: number; overallRate?: number; timeout: number; requests: LoadRequest[] },
  done: (err: Error | null, result: LoadResult) => void,
) => { stop(): void };
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

// ---------------------------------------------------------------------------------------------
// Payloads: what a web form or receptionist tool would send; every one a new externalId and
// caller, so each makes a new lead and the heuristic extractor has something to fill in.

export const RUN_TAG = randomUUID().slice(0, 8);
const FIRST = ["Jane", "Luis", "Priya", "Marcus", "Ana", "Tom", "Keisha", "Wei", "Olga", "Sam", "Rosa", "Dmitri"];
const LAST = ["Doe", "Garcia", "Patel", "Johnson", "Silva", "Nguyen", "Brown", "Chen", "Ivanova", "Okafor", "Reyes"];
const STREETS = ["Elm St", "Congress Ave", "Lamar Blvd", "Oak Hollow Dr", "Burnet Rd", "Riverside Dr", "Cedar Ln"];
const PROBLEMS = [
  "Our water heater is leaking all over the garage floor, it's pretty urgent.",
  "The kitchen sink drain is clogged and backing up, can someone come look this week?",
  "Our heating stopped working last night and the house is freezing.",
  "I'd like an estimate for replacing the old water heater, no rush.",
  "There's water coming through the ceiling from the upstairs bathroom, it's an emergency.",
  "The air conditioning is blowing warm air since this morning.",
];
const SOURCES = ["website", "Google Ads", "Yelp", "Nextdoor"];
const AREA_CODES = ["512", "737", "210", "214", "469", "713", "281", "832"];

let payloadCount = 0;

/**
 * The next intake submission: a JSON body no earlier request of this run has sent. Half are
 * complete leads, or all with `complete`; `tag` goes into the externalId.
 */
export function nextPayload(opts: { complete?: boolean; tag?: string } = {}): string {
  const n = payloadCount++;
  const name = `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length) % LAST.length]}`;
  // Unique phones for 35 million requests (a merge into the same caller's open lead would hide a lead).
  const line = String(n % 10_000).padStart(4, "0");
  const area = AREA_CODES[Math.floor(n / 10_000) % AREA_CODES.length]!;
  const exchange = 555 + (Math.floor(n / (10_000 * AREA_CODES.length)) % 445);
  const address = `${100 + (n % 8_900)} ${STREETS[n % STREETS.length]}, Austin TX 787${String(n % 50).padStart(2, "0")}`;
  const problem = PROBLEMS[n % PROBLEMS.length]!;
  return JSON.stringify({
    externalId: `bench-${RUN_TAG}-${opts.tag ?? ""}${n}`,
    source: SOURCES[n % SOURCES.length],
    transcript:
      `Receptionist: Thanks for calling Acme Plumbing & Heating, how can I help? ` +
      `Caller: Hi, this is ${name}. ${problem} I'm at ${address}. ` +
      `Best number is (${area}) ${exchange}-${line}. Receptionist: Got it, someone will call you back shortly.`,
    fields: {
      fullName: name,
      phone: `+1${area}${exchange}${line}`,
      serviceAddress: address,
      // Half the submissions say what happens next, so both complete and incomplete leads occur.
      ...((opts.complete || n % 2 === 0) && { promisedNextStep: "Call back to book a visit" }),
      // A complete lead: estimate requests also need their follow-up date (SOP).
      ...(opts.complete && { followUpDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) }),
    },
  });
}

export const HEADERS = { "content-type": "application/json", authorization: `Bearer ${INTAKE_SECRET}` };

// ---------------------------------------------------------------------------------------------
// Processes

export interface Server {
  name: string;
  child: ChildProcess;
  base: string;
  stdoutLines: () => number;
  stderrTail: () => string[];
}

/**
 * Starts `node --import tsx <entry>` with only the given environment (plus PATH/HOME), so no
 * Twilio or OpenAI key leaks in: messaging stays dry-run, extraction heuristic. Stdout is only
 * counted (the dry-run prints every SMS); the last lines of stderr are kept for the report.
 */
export async function startServer(name: string, entry: string, env: Record<string, string>, children: ChildProcess[]): Promise<Server> {
  // BENCH_CPU_PROFILE=<dir>: the gateway writes a V8 CPU profile there as it exits (bench/profile-summary.ts reads it).
  const profile = process.env.BENCH_CPU_PROFILE && name === "gateway" ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TMPDIR: os.tmpdir(), PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let head = "";
  let lines = 0;
  const tail: string[] = [];
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not listen within ${START_TIMEOUT_MS} ms:\n${head}${tail.join("\n")}`)), START_TIMEOUT_MS);
    child.stdout!.on("data", (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (head.length < 4096) {
        head += chunk.toString();
        const port = /listening on http:\/\/(?:localhost|127\.0\.0\.1):(\d+)/.exec(head)?.[1];
        if (port) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${port}`); // loopback only, whatever name the server printed
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      tail.push(...chunk.toString().split("\n").filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 200));
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${head}${tail.join("\n")}`));
    });
  });
  return { name, child, base: await ready, stdoutLines: () => lines, stderrTail: () => [...tail] };
}

/** SIGTERM by pid, then SIGKILL if it has not exited within 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const within = (ms: number) => Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
  process.kill(child.pid, "SIGTERM");
  if (await within(5_000)) return;
  process.kill(child.pid, "SIGKILL");
  await within(2_000);
}

export function assertAlive(server: Server): void {
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    throw new Error(`${server.name} died (${server.child.exitCode ?? server.child.signalCode}):\n${server.stderrTail().slice(-20).join("\n")}`);
  }
}

/** One signed request by hand first, so a wrong secret or route fails loudly instead of as 100% non-2xx. */
async function smokeTest(server: Server): Promise<void> {
  const res = await fetch(server.base + PATH, { method: "POST", headers: HEADERS, body: nextPayload(), signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`${server.name} answered ${res.status} to a signed intake: ${await res.text()}`);
}

/**
 * Points every lead event of acme at a receiver in this process that accepts the connection and
 * never answers, so each delivery attempt waits out its whole 15 s timeout.
 */
async function subscribeDeadWebhook(gateway: Server, token: string): Promise<void> {
  const dead = createServer(() => {});
  await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
  dead.unref();
  const config = JSON.parse(readFileSync(new URL("../fixtures/demo-business.json", import.meta.url), "utf8"));
  delete config.$schema;
  config.webhooks = [
    {
      id: "dead",
      url: `http://127.0.0.1:${(dead.address() as AddressInfo).port}/never`,
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      events: ["lead.created", "lead.offered", "lead.updated", "lead.escalated", "lead.accepted", "lead.closed"],
    },
  ];
  const res = await fetch(`${gateway.base}/api/businesses/acme`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(config),
  });
  if (!res.ok) throw new Error(`applying the dead webhook answered ${res.status}: ${await res.text()}`);
  console.log(`acme's lead events go to a receiver that never answers (${config.webhooks[0].url})`);
}

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc; figures are "% of one core" over the phase, so 2 cores = 200%)

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;

interface CpuSnapshot {
  at: number;
  perPid: Map<number, number>;
  bench: number;
  postgres: number;
  machineBusy: number;
  machineTotal: number;
}

/**
 * CPU ms a process has used, or 0 when /proc is not there; `reaped`: plus that of its children that
 * exited and were waited for (cutime + cstime).
 */
function cpuMs(pid: number, reaped = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3 (state)
    const ticks = Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0); // utime + stime (+ cutime + cstime)
    return (ticks * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/**
 * Every postgres process on this machine, other people's backends included, and the backends that
 * ended (the postmaster's reaped children): without them a run whose clients connect per request
 * (bench:workerd) loses each ended backend's CPU and can even show a negative figure.
 */
function postgresCpuMs(): number {
  let total = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return 0;
  }
  for (const pid of pids.slice(0, 10_000)) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") total += cpuMs(Number(pid), true);
    } catch {
      // gone since the listing
    }
  }
  return total;
}

export function snapshot(pids: number[]): CpuSnapshot {
  let machineBusy = 0;
  let machineTotal = 0;
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1, 9).map(Number);
    machineTotal = cpu.reduce((a, b) => a + b, 0);
    machineBusy = machineTotal - cpu[3]! - cpu[4]!; // minus idle and iowait
  } catch {
    // not Linux: no machine figure
  }
  const usage = process.cpuUsage();
  return {
    at: Date.now(),
    perPid: new Map(pids.map((pid) => [pid, cpuMs(pid)])),
    bench: (usage.user + usage.system) / 1000,
    postgres: postgresCpuMs(),
    machineBusy,
    machineTotal,
  };
}

/** "gateway 97%, postgres 61%, autocannon 38%, machine 196/200%" between two snapshots. */
export function cpuLine(a: CpuSnapshot, b: CpuSnapshot, names: Map<number, string>, benchLabel = "autocannon"): string {
  const wall = b.at - a.at;
  const pct = (ms: number) => `${Math.round((100 * ms) / wall)}%`;
  const parts = [...names].map(([pid, name]) => `${name} ${pct((b.perPid.get(pid) ?? 0) - (a.perPid.get(pid) ?? 0))}`);
  parts.push(`postgres ${pct(b.postgres - a.postgres)}`, `${benchLabel} ${pct(b.bench - a.bench)}`);
  if (b.machineTotal > a.machineTotal) {
    const cores = os.cpus().length;
    parts.push(`machine ${Math.round((100 * cores * (b.machineBusy - a.machineBusy)) / (b.machineTotal - a.machineTotal))}/${100 * cores}%`);
  }
  return parts.join(", ");
}

// ---------------------------------------------------------------------------------------------
// Load

export interface Phase {
  okPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  cpu: string;
  /** What the bench database's sessions were doing, on average, while the phase ran. */
  sessions: string;
}

/** One autocannon run against a server; `rate` fixes the overall request rate. */
export async function drive(server: Server, seconds: number, rate: number | undefined, cpuNames: Map<number, string>, sql: Sql): Promise<Phase> {
  assertAlive(server);
  const request: LoadRequest = { method: "POST", path: PATH, headers: HEADERS, setupRequest: (r) => ({ ...r, body: nextPayload() }) };
  const before = snapshot([...cpuNames.keys()]);
  const sampler = sampleSessions(sql, seconds * 1000 + 5_000);
  const result = await new Promise<LoadResult>((resolve, reject) => {
    autocannon(
      { url: server.base, connections: CONNECTIONS, duration: seconds, timeout: 10, requests: [request], ...(rate ? { overallRate: rate } : {}) },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
  const after = snapshot([...cpuNames.keys()]);
  const sessions = await sampler.stop();
  assertAlive(server);
  return {
    okPerSecond: result["2xx"] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpu: cpuLine(before, after, cpuNames),
    sessions,
  };
}

/**
 * Samples pg_stat_activity of the bench database every 250 ms (for at most `maxMs`): how many
 * sessions were busy and what they waited on. Shows whether requests queue behind a lock, the
 * WAL, or the Node process (a session idle in a transaction waits for its client).
 */
export function sampleSessions(sql: Sql, maxMs: number, opts: { topWaits?: number } = {}): { stop(): Promise<string> } {
  const totals = new Map<string, number>();
  /** By wait event (`Lock:transactionid`, `IO:WalSync`…), for `opts.topWaits`. */
  const details = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const deadline = Date.now() + maxMs;
  const loop = (async () => {
    while (!stopped && Date.now() < deadline) {
      const rows = await sql<{ what: string; detail: string; n: number }[]>`
        select case
                 when state = 'idle in transaction' then 'waiting for Node in a transaction'
                 when wait_event_type = 'Lock' then 'lock'
                 when wait_event_type in ('LWLock', 'IO') then 'WAL/IO'
                 when wait_event_type = 'Client' then 'reading from Node'
                 else 'running'
               end as what,
               case
                 when state = 'idle in transaction' then 'idle in transaction'
                 when wait_event is null then 'running'
                 else wait_event_type || ':' || wait_event
               end as detail,
               count(*)::int as n
        from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'
        group by 1, 2`;
      samples++;
      for (const r of rows) {
        totals.set(r.what, (totals.get(r.what) ?? 0) + r.n);
        details.set(r.detail, (details.get(r.detail) ?? 0) + r.n);
      }
      await sleep(250);
    }
  })().catch(() => {});
  return {
    async stop() {
      stopped = true;
      await loop;
      if (!samples) return "n/a";
      const busy = [...totals.values()].reduce((a, b) => a + b, 0) / samples;
      const parts = [...totals].sort((a, b) => b[1] - a[1]).map(([what, n]) => `${what} ${f1(n / samples)}`);
      const top = [...details].sort((a, b) => b[1] - a[1]).slice(0, opts.topWaits ?? 0).map(([what, n]) => `${what} ${f1(n / samples)}`);
      return `${f1(busy)} busy on average${parts.length ? ` (${parts.join(", ")})` : ""}${top.length ? `; top: ${top.join(", ")}` : ""}`;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The gateway's work after the 2xx

export interface Drain {
  backlog: number;
  /** Inbound events processed per second over the phase and its drain together. */
  processedPerSecond: number;
  ms: number;
  drained: boolean;
  processed: number;
  otherStatuses: string;
  leads: number;
  outboxQueued: number;
}

export type Sql = ReturnType<typeof postgres>;

export async function inboxCounts(sql: Sql) {
  const rows = await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from inbound_events group by status`;
  const by = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
  const [outbox] = await sql<{ n: number }[]>`select count(*)::int as n from outbound_messages where status in ('queued', 'sending')`;
  const [leads] = await sql<{ n: number }[]>`select count(*)::int as n from leads`;
  const pending = (by.received ?? 0) + (by.processing ?? 0) + (by.failed ?? 0);
  return { by, pending, outboxQueued: outbox!.n, leads: leads!.n };
}

/**
 * Polls until no inbound event is waiting (received, processing or failed-and-to-retry) and no
 * outbound message is queued, or DRAIN_TIMEOUT_MS passes. Time is counted from the end of the load.
 */
export async function drainGateway(
  sql: Sql,
  loadEndedAt: number,
  phase?: { processedBefore: number; seconds: number },
  timeoutMs = DRAIN_TIMEOUT_MS,
): Promise<Drain> {
  const first = await inboxCounts(sql);
  let counts = first;
  const deadline = Date.now() + timeoutMs;
  while ((counts.pending > 0 || counts.outboxQueued > 0) && Date.now() < deadline) {
    await sleep(DRAIN_POLL_MS);
    counts = await inboxCounts(sql);
  }
  const { processed = 0, ...rest } = counts.by;
  const ms = Date.now() - loadEndedAt;
  return {
    backlog: first.pending,
    processedPerSecond: phase ? (processed - phase.processedBefore) / (phase.seconds + ms / 1000) : NaN,
    ms,
    drained: counts.pending === 0 && counts.outboxQueued === 0,
    processed,
    otherStatuses: Object.entries(rest).map(([s, n]) => `${s} ${n}`).join(", ") || "none",
    leads: counts.leads,
    outboxQueued: counts.outboxQueued,
  };
}

// ---------------------------------------------------------------------------------------------
// Database

export async function withAdmin<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------------------------------------
// Report

export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("   ")).join("\n");
}

function drainLine(label: string, d: Drain): string {
  if (INGRESS_ONLY) return `  ${label}: ${d.backlog} events stored and left for workers (BENCH_INGRESS_ONLY: none runs)`;
  const state = d.drained ? `drained ${f1(d.ms / 1000)} s after the load ended` : `NOT drained ${f1(d.ms / 1000)} s after the load ended`;
  return (
    `  ${label}: ${d.backlog} events waiting at the end of the load, ${state}; ` +
    `${f1(d.processedPerSecond)} events processed per s over phase + drain. Totals so far: inbound processed ${d.processed} ` +
    `(other: ${d.otherStatuses}), leads ${d.leads}, outbox still queued ${d.outboxQueued}`
  );
}

// ---------------------------------------------------------------------------------------------
// Main

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface BenchRun {
  gateway: Server;
  baseline: Server;
  /** One connection to the bench database, for counts and pg_stat_activity. */
  sql: Sql;
  adminToken: string;
  /** Gateway and baseline by pid, for cpuLine. */
  cpuNames: Map<number, string>;
  /** The bench database, for more processes on it (`handoff worker`s). */
  databaseUrl: string;
  /** Processes stopped at cleanup; a bench adds the ones it starts. */
  children: ChildProcess[];
}

/**
 * Creates the bench database, starts the gateway and the baseline on it, runs `work`, and then,
 * whatever happened (also Ctrl-C, SIGTERM or the watchdog), stops both and drops the database.
 */
/**
 * On SIGINT or SIGTERM, or once the run passes WATCHDOG_MS, runs `cleanup` (stop the children, drop
 * the database) and exits. Returns what stops the watchdog at the end of a run.
 */
export function cleanUpOnAbort(cleanup: () => Promise<void>): () => void {
  const abort = (code: number, why: string) => {
    console.error(`\n${why}; cleaning up`);
    void cleanup().finally(() => process.exit(code));
  };
  process.once("SIGINT", () => abort(130, "interrupted"));
  process.once("SIGTERM", () => abort(143, "terminated"));
  const watchdog = setTimeout(() => abort(1, `the bench ran past ${WATCHDOG_MS / 60_000} min`), WATCHDOG_MS);
  return () => clearTimeout(watchdog);
}

export async function withBenchRun(
  describe: string,
  work: (run: BenchRun) => Promise<void>,
  opts: { gatewayEnv?: Record<string, string> } = {},
): Promise<void> {
  const dbName = `handoff_bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const children: ChildProcess[] = [];
  let benchSql: Sql | null = null;
  let created = false;
  let cleaning: Promise<void> | null = null;

  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const child of children) await stopChild(child).catch(() => {});
      await benchSql?.end({ timeout: 2 }).catch(() => {});
      if (created) {
        await withAdmin((sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch((err) =>
          console.error(`could not drop ${dbName}: ${String(err)}`),
        );
      }
    })());
  const stopWatchdog = cleanUpOnAbort(cleanup);

  try {
    await withAdmin((sql) => sql.unsafe(`CREATE DATABASE "${dbName}"`));
    created = true;
    const url = databaseUrl(dbName);
    const [load1] = os.loadavg();
    console.log(`bench database ${dbName} on ${new URL(ADMIN_URL).host}; ${os.cpus().length} cores, load average ${f1(load1!)} at start; ${describe}`);

    // The gateway migrates and loads the demo business itself; started first so the baseline's
    // CREATE TABLE does not race its migration.
    const adminToken = `bench-${RUN_TAG}`;
    const gateway = await startServer("gateway", "src/node.ts", { DATABASE_URL: url, ADMIN_TOKEN: adminToken, ...opts.gatewayEnv }, children);
    const baseline = await startServer("baseline", "bench/baseline-server.ts", { DATABASE_URL: url, BASELINE_SECRET: INTAKE_SECRET }, children);
    benchSql = postgres(url, { max: 1, onnotice: () => {} });
    const cpuNames = new Map([
      [gateway.child.pid!, "gateway"],
      [baseline.child.pid!, "baseline"],
    ]);
    await work({ gateway, baseline, sql: benchSql, adminToken, cpuNames, databaseUrl: url, children });
  } finally {
    stopWatchdog();
    await cleanup();
  }
}

async function main(): Promise<void> {
  // Ingress only: nothing processes the stored events, so the counts are read once, not waited on.
  const drain = (sql: Sql, loadEndedAt: number, phase?: { processedBefore: number; seconds: number }) =>
    drainGateway(sql, loadEndedAt, phase, INGRESS_ONLY ? 0 : DRAIN_TIMEOUT_MS);
  const label = `${CONNECTIONS} connections, ${SECONDS} s per phase after a ${WARMUP_SECONDS} s warm-up${INGRESS_ONLY ? ", ingress only (INTAKE_IN_WORKERS=1)" : ""}`;
  await withBenchRun(label, async ({ gateway, baseline, sql, adminToken, cpuNames }) => {
    if (DEAD_WEBHOOK) await subscribeDeadWebhook(gateway, adminToken);
    await smokeTest(gateway);
    await smokeTest(baseline);

    console.log("warming up…");
    await drive(baseline, WARMUP_SECONDS, undefined, cpuNames, sql);
    await drive(gateway, WARMUP_SECONDS, undefined, cpuNames, sql);
    await drain(sql, Date.now());
    const processedNow = async () => (await inboxCounts(sql)).by.processed ?? 0;

    // Interleaved, so a burst of other work on this shared machine hits both sides alike.
    console.log(`max throughput, ${SECONDS} s each…`);
    const maxBaseline = await drive(baseline, SECONDS, undefined, cpuNames, sql);
    let processedBefore = await processedNow();
    const maxGateway = await drive(gateway, SECONDS, undefined, cpuNames, sql);
    const drainAfterMax = await drain(sql, Date.now(), { processedBefore, seconds: SECONDS });
    console.log(`fixed ${RATE} req/s, ${SECONDS} s each…`);
    const rateBaseline = await drive(baseline, SECONDS, RATE, cpuNames, sql);
    processedBefore = await processedNow();
    const rateGateway = await drive(gateway, SECONDS, RATE, cpuNames, sql);
    const drainAfterRate = await drain(sql, Date.now(), { processedBefore, seconds: SECONDS });

    const ratio = maxGateway.okPerSecond / maxBaseline.okPerSecond;
    const row = (label: string, pick: (p: Phase) => string, b: Phase, g: Phase, extra = "") => [label, pick(b), pick(g), extra];
    console.log(`\nPOST ${PATH}, generic intake, one new externalId per request\n`);
    console.log(
      table([
        ["", "baseline", "gateway", "gateway/baseline"],
        [`max throughput (${CONNECTIONS} connections)`, "", "", ""],
        row("  2xx per s", (p) => f1(p.okPerSecond), maxBaseline, maxGateway, `${ratio.toFixed(2)}  ${verdict(ratio >= GOAL_THROUGHPUT_RATIO)} (goal ≥ ${GOAL_THROUGHPUT_RATIO})`),
        row("  p50 ms to the 2xx", (p) => f1(p.p50), maxBaseline, maxGateway),
        row("  p99 ms to the 2xx", (p) => f1(p.p99), maxBaseline, maxGateway),
        row("  non-2xx / errors", (p) => `${p.non2xx} / ${p.errors}`, maxBaseline, maxGateway),
        [`fixed ${RATE} req/s`, "", "", ""],
        row("  2xx per s", (p) => f1(p.okPerSecond), rateBaseline, rateGateway),
        row("  p50 ms to the 2xx", (p) => f1(p.p50), rateBaseline, rateGateway),
        row("  p99 ms to the 2xx", (p) => f1(p.p99), rateBaseline, rateGateway, `${verdict(rateGateway.p99 <= GOAL_P99_MS)} (goal gateway p99 ≤ ${GOAL_P99_MS} ms)`),
        row("  non-2xx / errors", (p) => `${p.non2xx} / ${p.errors}`, rateBaseline, rateGateway),
      ]),
    );
    const phases: [string, Phase][] = [
      ["max throughput, baseline", maxBaseline],
      ["max throughput, gateway", maxGateway],
      [`${RATE} req/s, baseline`, rateBaseline],
      [`${RATE} req/s, gateway`, rateGateway],
    ];
    console.log(`\nCPU, % of one core over each phase (this machine: ${os.cpus().length * 100}%):`);
    for (const [label, p] of phases) console.log(`  ${`${label}:`.padEnd(26)} ${p.cpu}`);
    console.log(`\nPostgreSQL sessions of the bench database during each phase (the gateway and the baseline pool 10 each):`);
    for (const [label, p] of phases) console.log(`  ${`${label}:`.padEnd(26)} ${p.sessions}`);
    console.log(`\nGateway work after the 2xx (extraction, lead, routing, dry-run texts), counted from the end of each phase:`);
    console.log(drainLine("after max throughput", drainAfterMax));
    console.log(drainLine(`after ${RATE} req/s`, drainAfterRate));
    const problems = gateway.stderrTail().filter((l) => /^(warn|error) /.test(l));
    console.log(`  gateway stdout lines (mostly dry-run texts): ${gateway.stdoutLines()}; warn/error lines in the last 200 of stderr: ${problems.length}`);
    for (const line of [...new Set(problems.map((l) => l.slice(0, 200)))].slice(0, 5)) console.log(`    ${line}`);
  }, INGRESS_ONLY ? { gatewayEnv: { INTAKE_IN_WORKERS: "1" } } : {});
}

/** Runs `main` when this file is the entry point, not when another bench imports its helpers. */
export function runIfEntry(moduleUrl: string, main: () => Promise<void>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof Error ? err.stack ?? err.message : String(err));
      process.exit(1);
    },
  );
}

runIfEntry(import.meta.url, main);
