import type { Env } from "../runtime/env.ts";
import { databaseIdentity, INSTANCE_HEADER, readServerFile } from "../runtime/server-file.ts";

/** How long the CLI waits for a server's /healthz before it opens the database itself. */
const HEALTHZ_TIMEOUT_MS = 2_000;

/**
 * The URL of the running gateway that serves this environment's database (DATA_DIR or
 * DATABASE_URL), or null. Trusted only when `DATA_DIR/server.json` names the same database, its
 * process lives, and the server at its URL answers /healthz with the file's instance id.
 */
export async function findServer(env: Pick<Env, "DATABASE_URL" | "DATA_DIR">): Promise<string | null> {
  const file = readServerFile(env.DATA_DIR);
  if (!file || file.database !== databaseIdentity(env) || !alive(file.pid)) return null;
  try {
    const res = await fetch(`${file.url}/healthz`, { signal: AbortSignal.timeout(HEALTHZ_TIMEOUT_MS) });
    await res.body?.cancel();
    return res.headers.get(INSTANCE_HEADER) === file.instance ? file.url : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
