import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import lockfile from "proper-lockfile";

/** A lock not refreshed for this long belongs to a process that died. */
const STALE_MS = 5_000;

/**
 * PGlite does not lock its data directory: a second process opens it silently and its writes
 * are lost. So the gateway takes an exclusive lock first and a second process refuses to start.
 * The lock is refreshed while the process lives; one left by a killed process goes stale after
 * STALE_MS. The holder's pid is written beside the lock, so a second process on a live holder
 * gives up at once, and a restart after a crash waits out the staleness instead of failing.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  mkdirSync(dir, { recursive: true });
  const pidFile = `${dir}/.handoff.pid`;
  const take = (retries: number) =>
    lockfile.lock(dir, {
      lockfilePath: `${dir}/.handoff.lock`,
      stale: STALE_MS,
      update: 1_000,
      retries: { retries, minTimeout: 500, maxTimeout: 500, factor: 1 },
      onCompromised: (err) => {
        console.error(`The lock on ${dir} was lost (${err.message}); stopping so no write is lost.`);
        process.exit(1);
      },
    });
  let release: () => Promise<void>;
  try {
    release = await take(1);
  } catch (err) {
    if ((err as { code?: string }).code !== "ELOCKED") throw err;
    if (holderAlive(pidFile)) throw new DataDirLockedError(dir);
    try {
      // The holder is gone: its lock goes stale within STALE_MS of its last refresh.
      release = await take(Math.ceil((STALE_MS + 3_000) / 500));
    } catch (again) {
      if ((again as { code?: string }).code === "ELOCKED") throw new DataDirLockedError(dir);
      throw again;
    }
  }
  writeFileSync(pidFile, String(process.pid));
  return release;
}

/** Whether the process named in the pid file still runs (no file: unknown, so assume not). */
function holderAlive(pidFile: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, "utf8").trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM"; // alive, owned by someone else
  }
}

export class DataDirLockedError extends Error {
  constructor(readonly dir: string) {
    super(
      `Another Handoff process is using the embedded database in ${dir}. ` +
        `Stop it first, or give this one its own DATA_DIR (or a DATABASE_URL).`,
    );
    this.name = "DataDirLockedError";
  }
}
