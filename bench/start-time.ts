/**
 * How long the gateway takes to say "listening" (on an existing and on a fresh DATA_DIR) and how
 * long `handoff leads` takes against a running server, median of BENCH_RUNS (5). Figures, not a test.
 *
 *   npx tsx bench/start-time.ts                              # this checkout
 *   BENCH_BEFORE=/tmp/main-copy npx tsx bench/start-time.ts  # that checkout too, taking turns
 *
 * A checkout to compare needs node_modules (a symlink to this one's will do); one without dist/
 * is measured as main was, `node --import tsx src/node.ts`, and also with tsx's compile cache
 * off (its first start after a clone or an edit). One with dist/ is also started after an edit
 * (a touched src/app.ts), which npm start rebuilds first. The first start of each checkout (it
 * creates the "existing" data dir) and the first run of each command are not counted.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const TOKEN = "bench-start-token";
const GOALS = { existing: 2000, fresh: 5000, cli: 700 };
const NO_TSX_CACHE = { TSX_DISABLE_CACHE: "1" };

interface Row {
  label: string;
  ms: number[];
  goal?: number;
}

/** Starts `argv` in `root` on `dataDir`; resolves with the time to "listening" and a stop(). */
async function startServer(root: string, argv: string[], dataDir: string, extraEnv: Record<string, string> = {}): Promise<{ ms: number; url: string; stop(): Promise<void> }> {
  const started = performance.now();
  // Its own process group, so `npm start`'s children are stopped with it.
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? tmpdir(), DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN, PORT: "0", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  let out = "";
  const url = await new Promise<string>((ok, fail) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m) ok(m[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => fail(new Error(`${argv.join(" ")} exited before listening:\n${out}`)));
  });
  const ms = performance.now() - started;
  return {
    ms,
    url,
    async stop() {
      process.kill(-child.pid!, "SIGTERM");
      await exited;
    },
  };
}

/** The server entry as this checkout runs it: built JavaScript when there is a build. */
function entry(root: string): { label: string; argv: string[] } {
  return existsSync(join(root, "dist", "node.js"))
    ? { label: "node dist/node.js", argv: [process.execPath, "--enable-source-maps", "dist/node.js"] }
    : { label: "node --import tsx src/node.ts", argv: [process.execPath, "--import", "tsx", "src/node.ts"] };
}

/** Every figure for one checkout, `runs` times each. */
async function measure(root: string, runs: number): Promise<Row[]> {
  const rows: Row[] = [];
  const scratch = mkdtempSync(join(tmpdir(), "handoff-bench-start-"));
  try {
    const existingDir = join(scratch, "existing");
    // The first start creates the existing data dir (and builds when the build is stale).
    await (await startServer(root, ["npm", "start"], existingDir)).stop();
    const e = entry(root);
    const servers: [string, string[], Record<string, string>][] = [
      ["npm start", ["npm", "start"], {}],
      [e.label, e.argv, {}],
    ];
    // Run through tsx, a start after a clone or an edit compiles every module: tsx's cache off.
    if (e.label.includes("tsx")) servers.push(["npm start, tsx cache off", ["npm", "start"], NO_TSX_CACHE]);
    let n = 0;
    for (const [label, argv, extraEnv] of servers) {
      const existing: Row = { label: `${label}, existing data dir`, ms: [], goal: GOALS.existing };
      const fresh: Row = { label: `${label}, fresh data dir`, ms: [], goal: GOALS.fresh };
      for (let i = 0; i < runs; i++) {
        const a = await startServer(root, argv, existingDir, extraEnv);
        existing.ms.push(a.ms);
        await a.stop();
        const b = await startServer(root, argv, join(scratch, `fresh-${n++}`), extraEnv);
        fresh.ms.push(b.ms);
        await b.stop();
      }
      rows.push(existing, fresh);
    }
    if (!e.label.includes("tsx")) {
      // After an edit, npm start rebuilds the code first (the template only after a new migration).
      const edited: Row = { label: "npm start after an edit under src/, existing", ms: [], goal: GOALS.existing };
      for (let i = 0; i < runs; i++) {
        utimesSync(join(root, "src", "app.ts"), new Date(), new Date());
        const a = await startServer(root, ["npm", "start"], existingDir);
        edited.ms.push(a.ms);
        await a.stop();
      }
      rows.push(edited);
    }

    const server = await startServer(root, e.argv, existingDir);
    try {
      const res = await fetch(`${server.url}/api/leads`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ business: "acme", fullName: "Jane Doe", phone: "+15125550123", urgency: "standard" }),
      });
      if (!res.ok) throw new Error(`creating a lead: ${res.status} ${await res.text()}`);
      const env = { PATH: process.env.PATH!, HOME: process.env.HOME ?? tmpdir(), DATA_DIR: existingDir, ADMIN_TOKEN: TOKEN };
      const commands: [string, string, string[], Record<string, string>][] = [
        ["node bin/handoff.mjs leads", process.execPath, ["bin/handoff.mjs", "leads"], {}],
        ["npx handoff leads", "npx", ["handoff", "leads"], {}],
      ];
      if (e.label.includes("tsx")) commands.push(["node bin/handoff.mjs leads, tsx cache off", process.execPath, ["bin/handoff.mjs", "leads"], NO_TSX_CACHE]);
      for (const [label, cmd, args, extraEnv] of commands) {
        const row: Row = { label, ms: [], goal: GOALS.cli };
        for (let i = 0; i <= runs; i++) {
          const t = performance.now();
          const r = spawnSync(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, encoding: "utf8" });
          if (r.status !== 0 || !r.stdout.includes("Jane Doe")) throw new Error(`${label} failed (${r.status}): ${r.stderr}${r.stdout}`);
          if (i > 0) row.ms.push(performance.now() - t); // the first run warms the OS's and tsx's caches
        }
        rows.push(row);
      }
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function print(title: string, rows: Row[]): void {
  console.log(`\n${title} (median of ${RUNS}; min–max)`);
  for (const r of rows) {
    const m = median(r.ms);
    const verdict = r.goal ? `${m <= r.goal ? "PASS" : "MISS"} ≤ ${fmt(r.goal)}` : "";
    console.log(`  ${r.label.padEnd(48)} ${fmt(m).padStart(7)}   ${fmt(Math.min(...r.ms))}–${fmt(Math.max(...r.ms))}   ${verdict}`);
  }
}

console.log(`load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}, node ${process.version}`);
const before = process.env.BENCH_BEFORE ? resolve(process.env.BENCH_BEFORE) : null;
// The checkouts take turns, one run of every figure each, so a burst of other work on the
// machine falls on both.
const results = new Map<string, Row[]>();
for (let i = 0; i < RUNS; i++) {
  for (const root of before ? [before, HERE] : [HERE]) {
    const rows = await measure(root, 1);
    const kept = results.get(root);
    if (!kept) results.set(root, rows);
    else rows.forEach((r, j) => kept[j]!.ms.push(...r.ms));
  }
}
if (before) print(`before: ${before}`, results.get(before)!);
print(`${before ? "after: " : ""}${HERE}`, results.get(HERE)!);
console.log(`\nload average at the end ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);
