import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface GatewayProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the base URL once the server says it listens (a worker: its start line). */
  ready: Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Node's arguments for the gateway from source; `["dist/node.js"]` runs the build instead. */
export const FROM_SOURCE = ["--import", "tsx", "src/node.ts"];

/** Starts the real gateway (`tsx src/node.ts`, or `entry`) as its own process with the given environment. */
export function startGateway(env: Record<string, string>, entry: string[] = FROM_SOURCE): GatewayProcess {
  return startNodeProcess(entry, env, /listening on (http:\/\/localhost:\d+)/, "gateway");
}

/**
 * Starts the real `handoff worker` (bin/handoff.mjs) as its own process; `ready` resolves with
 * its start line once it has started claiming.
 */
export function startWorker(env: Record<string, string>): GatewayProcess {
  return startNodeProcess(["bin/handoff.mjs", "worker"], env, /(handoff worker started: .*)/, "worker");
}

/** Node with `args` in the repository, `env` over this process's; `ready` is the first match of `ready`'s group 1. */
function startNodeProcess(args: string[], env: Record<string, string>, ready: RegExp, name: string): GatewayProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const started = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${out}`)));
  });
  started.catch(() => {});
  return { child, output: () => out, ready: started, exited };
}

/** A JSON call to a running gateway's API with `token`: `{ status, body }` out. */
export function apiCaller(base: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}
