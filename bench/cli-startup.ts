/**
 * How long a `handoff` command takes, start to exit, beside a running gateway (PGlite on a temp
 * DATA_DIR, as `npm start` runs): `help` (start-up alone), `leads` and `show acme:1001` (found
 * through DATA_DIR/server.json and answered by the server). Figures, not a test.
 *
 *   npx tsx bench/cli-startup.ts            # 10 runs each; BENCH_RUNS=30 for more
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 10));
const TOKEN = "bench-cli-token";
const dir = mkdtempSync(join(tmpdir(), "handoff-bench-cli-"));
const env = { PATH: process.env.PATH!, DATA_DIR: dir, ADMIN_TOKEN: TOKEN };

const gateway = spawn(process.execPath, ["--import", "tsx", "src/node.ts"], { cwd: ROOT, env: { ...env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
try {
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    gateway.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    gateway.on("exit", (code) => reject(new Error(`gateway exited (${code})`)));
  });
  await fetch(`${base}/api/leads`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ business: "acme", fullName: "Jane Doe", phone: "+15125550123", urgency: "standard" }),
  });

  console.log(`handoff command, start to exit, ${RUNS} runs each (gateway on ${base}):`);
  for (const args of [["help"], ["leads"], ["show", "acme:1001"]]) {
    const ms: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const started = performance.now();
      const r = spawnSync(process.execPath, ["bin/handoff.mjs", ...args], { cwd: ROOT, env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`handoff ${args.join(" ")} failed: ${r.stderr}`);
      if (i > 0) ms.push(performance.now() - started); // the first run warms tsx's cache
    }
    ms.sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)]!;
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    console.log(`  ${`handoff ${args.join(" ")}`.padEnd(24)} median ${median.toFixed(0)} ms  mean ${mean.toFixed(0)} ms  min ${ms[0]!.toFixed(0)} ms`);
  }
} finally {
  gateway.kill("SIGTERM");
  await new Promise((resolve) => gateway.once("exit", resolve));
  rmSync(dir, { recursive: true, force: true });
}
