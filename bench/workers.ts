/**
 * `handoff worker` processes for the benches (BENCH_WORKERS): each started like the gateway (only
 * the given environment plus PATH/HOME, so messaging stays dry-run and extraction heuristic), its
 * stdout counted, the tail of its stderr kept; and their CPU summed for the report.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { ROOT, type Server, type snapshot } from "./intake.ts";

const START_TIMEOUT_MS = 60_000;

/** Starts `handoff worker` from source; resolves once it logged its start line. `base` is empty: it serves no HTTP. */
export async function startWorkerProcess(name: string, env: Record<string, string>, children: ChildProcess[]): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "worker"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TMPDIR: os.tmpdir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let head = "";
  let lines = 0;
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms:\n${head}${tail.join("\n")}`)), START_TIMEOUT_MS);
    child.stdout!.on("data", (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (head.length < 4096) {
        head += chunk.toString();
        if (head.includes("handoff worker started")) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      tail.push(...chunk.toString().split("\n").filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 200));
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it started:\n${head}${tail.join("\n")}`));
    });
  });
  return { name, child, base: "", stdoutLines: () => lines, stderrTail: () => [...tail] };
}

type Snapshot = ReturnType<typeof snapshot>;

/** ", workers Σ 143%" between two snapshots (each worker's own figure is in cpuLine already). */
export function workersCpuSum(a: Snapshot, b: Snapshot, pids: number[]): string {
  if (!pids.length) return "";
  const ms = pids.reduce((sum, pid) => sum + ((b.perPid.get(pid) ?? 0) - (a.perPid.get(pid) ?? 0)), 0);
  return `, workers Σ ${Math.round((100 * ms) / (b.at - a.at))}%`;
}
