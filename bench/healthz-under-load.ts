/**
 * `npx tsx bench/healthz-under-load.ts`: does one huge webhook stall every tenant? Starts the real
 * gateway (its own process, embedded PGlite in a temp directory, dry-run texts, heuristic
 * extraction), posts a signed Vapi end-of-call report whose transcript fills the body to just
 * under the 1 MiB limit, and polls `/healthz` every 10 ms from the 2xx until that call's offer
 * text is printed (the webhook fully processed). Prints p50/p99/max of `/healthz` in that window
 * (goal: under 100 ms) next to an idle window, and the heuristic extraction of the same
 * transcript timed in this process, with its longest block of the event loop.
 *
 * Two transcripts: "small talk" (the demo call padded with short labelled turns, how a long real
 * call looks) and "run-on" (one unpunctuated turn per speaker, as raw speech-to-text can give,
 * full of the words the extractor's patterns look for).
 *
 *   npx tsx bench/healthz-under-load.ts
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/healthz-under-load.ts
 *   BENCH_ROOT=/path/to/other/checkout npx tsx bench/healthz-under-load.ts   # e.g. main, for "before"
 *
 * BENCH_DATABASE_URL runs it on PostgreSQL (a database of its own, created and dropped) instead
 * of PGlite. BENCH_ROOT runs the gateway and the extractor of another checkout (with its own
 * node_modules); the payloads are built here. BENCH_ROUNDS (default 3) calls of each shape; a
 * call not processed after BENCH_WAIT_S (default 120) is reported as such. The exit code only
 * says whether the run itself worked.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import postgres from "postgres";

const HERE = fileURLToPath(new URL("..", import.meta.url));
const ROOT = path.resolve(process.env.BENCH_ROOT || HERE);
const WAIT_MS = Number(process.env.BENCH_WAIT_S || 120) * 1000;
const MAX_BODY_BYTES = 1024 * 1024; // src/app.ts
const POLL_MS = 10;
const GOAL_MS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const ADMIN_TOKEN = "bench-healthz-token";
/** A PostgreSQL server to run on instead of PGlite: the bench creates and drops its own database there. */
const ADMIN_DB_URL = process.env.BENCH_DATABASE_URL;
const VAPI_SECRET = "demo-vapi-secret"; // fixtures/demo-business.json

// ---------------------------------------------------------------------------------------------
// Payloads

type Shape = "small talk" | "run-on";
/** What fills each shape; `number` is a phone number said in it (distinct per call, so no two calls merge into one lead). */
const FILLER: Record<Shape, (number: string) => { caller: string; agent: string; lines: boolean }> = {
  "small talk": () => ({ caller: "User: Um, hold on, let me check something.", agent: "AI: Of course, take your time.", lines: true }),
  "run-on": (number) => ({
    caller: `well I saw the heater again and my number is ${number} but there is no leak no flooding just the noise and `,
    agent: "I'll check on that for you and we will see what our team can do about it ",
    lines: false,
  }),
};

/** The demo Vapi call, no analysis (the transcript must be read), filled to just under 1 MiB. */
function oversizedCall(shape: Shape, n: number): { body: string; transcript: string } {
  const [callId, phone, spoken] = [`bench-huge-${n}`, `+1512555${String(160 + n).padStart(4, "0")}`, `512 456 ${String(7800 + n)}`];
  const payload = JSON.parse(readFileSync(path.join(HERE, "fixtures/vapi/complete-call.json"), "utf8"));
  delete payload.message.analysis;
  payload.message.call.id = callId;
  payload.message.customer.number = phone;
  if (payload.message.call.customer) payload.message.call.customer.number = phone;
  const lines: string[] = payload.message.artifact.transcript.split("\n");
  const room = MAX_BODY_BYTES - 4_000 - Buffer.byteLength(JSON.stringify(payload));
  const { caller, agent, lines: asLines } = FILLER[shape](spoken);
  // Sized by the JSON they become: a line break takes two bytes there.
  const times = (unit: string, bytes: number) => unit.repeat(Math.floor(bytes / (Buffer.byteLength(JSON.stringify(unit)) - 2)));
  const middle = asLines ? times(`${caller}\n${agent}\n`, room).trimEnd() : `User: ${times(caller, room / 2)}\nAI: ${times(agent, room / 2)}`;
  const transcript = [...lines.slice(0, -4), middle, ...lines.slice(-4)].join("\n");
  payload.message.artifact.transcript = transcript;
  return { body: JSON.stringify(payload), transcript };
}

// ---------------------------------------------------------------------------------------------
// The gateway

interface Gateway {
  child: ChildProcess;
  base: string;
  /** Resolves once the gateway has printed its `n`-th first offer ("NEW lead …", dry-run). */
  offers(n: number): Promise<void>;
}

async function startGateway(database: Record<string, string>): Promise<Gateway> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/node.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", ADMIN_TOKEN, ...database },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let partial = "";
  let head = "";
  let err = "";
  let offered = 0;
  let listening: (base: string) => void;
  const waiting: { n: number; resolve: () => void }[] = [];
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      if (head.length < 4_096) head += `${line}\n`;
      const port = /listening on http:\/\/[^:]+:(\d+)/.exec(line)?.[1];
      if (port) listening(`http://127.0.0.1:${port}`);
      if (line.includes("] NEW lead ")) offered++;
    }
    for (const w of waiting.filter((w) => w.n <= offered)) w.resolve();
  });
  child.stderr!.on("data", (chunk: Buffer) => (err = (err + chunk.toString()).slice(-8_192)));
  const offers = (n: number) => new Promise<void>((resolve) => (n <= offered ? resolve() : waiting.push({ n, resolve })));
  const base = await Promise.race([
    new Promise<string>((resolve) => (listening = resolve)),
    new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`gateway exited (${code}):\n${head}${err}`)))),
  ]);
  return { child, base, offers };
}

// ---------------------------------------------------------------------------------------------
// Measurements

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Poll {
  ms: number;
  /** The request failed (e.g. undici's 10 s connect timeout while the gateway was blocked). */
  failed: boolean;
}

/** GET /healthz every POLL_MS (without waiting for the previous answer) until `until` settles. */
async function pollHealthz(base: string, until: Promise<unknown>): Promise<Poll[]> {
  const polls: Promise<Poll>[] = [];
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    const took = () => performance.now() - started;
    polls.push(
      fetch(`${base}/healthz`).then(
        async (res) => (await res.arrayBuffer(), { ms: took(), failed: !res.ok }),
        () => ({ ms: took(), failed: true }),
      ),
    );
    await sleep(POLL_MS);
  }
  return Promise.all(polls);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
function summary(polls: Poll[]): string {
  const s = polls.map((p) => p.ms).sort((a, b) => a - b);
  const failed = polls.filter((p) => p.failed).length;
  return `${String(s.length).padStart(5)} polls  p50 ${ms(quantile(s, 0.5))}  p99 ${ms(quantile(s, 0.99))}  max ${ms(s.at(-1)!)}${failed ? `  (${failed} failed)` : ""}`;
}
const ms = (n: number) => `${n.toFixed(1).padStart(8)} ms`;

/** The heuristic extractor of ROOT (one file before issue 8, a folder since, under adapters/ since issue 9). */
async function loadExtractor() {
  const candidates = ["src/adapters/extractor/heuristic/index.ts", "src/ports/extractor/heuristic/index.ts", "src/ports/extractor/heuristic.ts"];
  const file = candidates.map((c) => path.join(ROOT, c)).find((c) => existsSync(c)) ?? path.join(ROOT, candidates[0]!);
  const { heuristicExtractor } = await import(pathToFileURL(file).href);
  return heuristicExtractor();
}

/** How long extracting `transcript` takes here, and the longest it held the event loop. */
async function timeExtraction(transcript: string): Promise<string> {
  const extractor = await loadExtractor();
  const input = { transcript, summary: null, callerPhone: "+15125550142", serviceTypes: ["Water heater", "Plumbing"], timezone: "America/Chicago", now: new Date() };
  // The longest gap between the ticks of a 1 ms interval is the longest the loop was held.
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    longest = Math.max(longest, performance.now() - last);
    last = performance.now();
  }, 1);
  const started = performance.now();
  await extractor.extract(input);
  const took = performance.now() - started;
  await sleep(5); // one more tick, so a block at the very end is seen too
  clearInterval(ticker);
  return `${ms(took)} in all, longest event-loop block ${ms(longest)}`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "handoff-healthz-"));
  const dbName = `handoff_bench_healthz_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = ADMIN_DB_URL ? postgres(ADMIN_DB_URL, { max: 1, onnotice: () => {} }) : null;
  let gateway: Gateway | null = null;
  try {
    let database: Record<string, string> = { DATA_DIR: dataDir };
    if (admin) {
      await admin.unsafe(`CREATE DATABASE "${dbName}"`);
      const url = new URL(ADMIN_DB_URL!);
      url.pathname = `/${dbName}`;
      database = { DATABASE_URL: url.toString() };
    }
    const where = admin ? `PostgreSQL database ${dbName}` : `PGlite in ${dataDir}`;
    console.log(`gateway from ${ROOT}; ${where}; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
    gateway = await startGateway(database);
    const { base } = gateway;
    const post = (body: string) =>
      fetch(`${base}/webhooks/acme/vapi`, { method: "POST", body, headers: { "content-type": "application/json", "x-vapi-secret": VAPI_SECRET } });

    // Warm up (JIT, business cache) with the plain demo call; wait for its offer.
    const warm = JSON.parse(readFileSync(path.join(HERE, "fixtures/vapi/complete-call.json"), "utf8"));
    warm.message.call.id = "bench-warm-up";
    const warmed = gateway.offers(1);
    if ((await post(JSON.stringify(warm))).status !== 200) throw new Error("the gateway refused the signed warm-up call");
    await warmed;
    console.log(`\n/healthz every ${POLL_MS} ms (goal: under ${GOAL_MS} ms while a webhook is processed), ${ROUNDS} calls of each shape`);
    console.log(`  idle, 2 s:                   ${summary(await pollHealthz(base, sleep(2_000)))}`);

    let calls = 0;
    for (const shape of ["small talk", "run-on"] as Shape[]) {
      const polls: Poll[] = [];
      const done: string[] = [];
      let extraction = "";
      let size = "";
      for (let round = 0; round < ROUNDS; round++) {
        const { body, transcript } = oversizedCall(shape, ++calls);
        size = `body ${Buffer.byteLength(body)} bytes, transcript ${transcript.length} chars`;
        const offered = gateway.offers(calls + 1);
        const started = performance.now();
        const res = await post(body);
        if (res.status !== 200) throw new Error(`the gateway answered ${res.status} to the ${shape} call: ${await res.text()}`);
        const acked = performance.now() - started;
        const finished = Promise.race([offered.then(() => true), sleep(WAIT_MS).then(() => false)]);
        polls.push(...(await pollHealthz(base, finished)));
        done.push((await finished) ? `2xx ${ms(acked).trim()}, offer ${ms(performance.now() - started).trim()}` : `NOT processed within ${WAIT_MS / 1000} s`);
        if (round === 0) extraction = await timeExtraction(transcript);
      }
      const worst = Math.max(...polls.map((p) => p.ms));
      console.log(`\n${shape}: ${size}`);
      console.log(`  each call:                   ${done.join("; ")}`);
      console.log(`  /healthz while processed:    ${summary(polls)}  ${worst < GOAL_MS && polls.every((p) => !p.failed) ? "PASS" : "MISS"}`);
      console.log(`  heuristic extraction here:   ${extraction}`);
    }
  } finally {
    if (gateway?.child.exitCode === null) {
      const exited = new Promise((resolve) => gateway!.child.once("exit", resolve));
      gateway.child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
      if (gateway.child.exitCode === null) gateway.child.kill("SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (admin) {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((err) => console.error(`could not drop ${dbName}: ${String(err)}`));
      await admin.end({ timeout: 2 });
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
