import { mkdirSync } from "node:fs";
import lockfile from "proper-lockfile";

/**
 * PGlite does not lock its data directory: a second process opens it silently and its writes
 * are lost. So the gateway takes an exclusive lock first and a second process refuses to start.
 * The lock is refreshed while the process lives; one left by a killed process goes stale in a
 * few seconds, so a restart after a crash waits briefly instead of failing.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  mkdirSync(dir, { recursive: true });
  try {
    return await lockfile.lock(dir, {
      lockfilePath: `${dir}/.handoff.lock`,
      stale: 5_000,
      update: 1_000,
      retries: { retries: 8, minTimeout: 500, maxTimeout: 1_000, factor: 1 },
      onCompromised: (err) => {
        console.error(`The lock on ${dir} was lost (${err.message}); stopping so no write is lost.`);
        process.exit(1);
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === "ELOCKED") {
      throw new DataDirLockedError(dir);
    }
    throw err;
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
