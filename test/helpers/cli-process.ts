import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** What a finished `handoff` command left. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `handoff` command (bin/handoff.mjs) as its own process with only the given
 * environment on top of PATH, so the caller's variables (DATABASE_URL, PORT…) never leak in.
 * `pipeTo` runs it through a shell as `handoff … | <pipeTo>` and reports handoff's own status.
 */
export function runCli(args: string[], env: Record<string, string>, opts: { pipeTo?: string } = {}): Promise<CliResult> {
  const command = [process.execPath, "bin/handoff.mjs", ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  // stdin is /dev/null: bash given a socket there takes itself for an rsh session and reads ~/.bashrc.
  const options = { cwd: ROOT, env: { PATH: process.env.PATH!, ...env }, stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"] };
  const child = opts.pipeTo
    ? spawn("bash", ["-c", `${command} | ${opts.pipeTo}; exit \${PIPESTATUS[0]}`], options)
    : spawn(process.execPath, ["bin/handoff.mjs", ...args], options);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
