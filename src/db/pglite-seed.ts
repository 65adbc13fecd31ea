import { constants, cpSync, existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lockDataDir } from "./data-dir-lock.ts";

/** Files the gateway itself keeps in DATA_DIR (lock, pid, server.json): never PostgreSQL's. */
const OWN_FILES = new Set([".handoff.lock", ".handoff.pid", "server.json"]);
/** Written before a seed's first file and removed after its last: an interrupted seed is redone. */
const SEEDING = ".handoff-seeding";
/** PGlite takes a directory with PG_VERSION for a database and runs initdb otherwise: copied last. */
const PG_VERSION = "PG_VERSION";

/**
 * Fills a DATA_DIR that has no database yet from `template`, an initialised and migrated PGlite
 * data directory made at build time, so the first start skips PGlite's initdb (seconds). The
 * caller holds the DATA_DIR lock. Returns false, changing nothing, when the directory already has
 * a database, holds files that are not the gateway's, or there is no template: PGlite then opens
 * or initialises it as always; also when the copy fails (`warn` hears why) and what it copied is
 * removed. The migrations still run after, so an older template only costs time.
 */
export function seedPgliteDataDir(dataDir: string, template: string, warn: (message: string) => void): boolean {
  if (existsSync(join(dataDir, PG_VERSION)) || !existsSync(join(template, PG_VERSION))) return false;
  const names = readdirSync(dataDir);
  const interrupted = names.includes(SEEDING);
  if (!interrupted && names.some((n) => !OWN_FILES.has(n))) return false;
  writeFileSync(join(dataDir, SEEDING), "");
  try {
    // What an interrupted seed left is a part of the template: start over from nothing.
    if (interrupted) for (const n of names) if (!OWN_FILES.has(n) && n !== SEEDING) rmSync(join(dataDir, n), { recursive: true, force: true });
    // ~40 MB: a copy-on-write clone where the file system has them (btrfs, XFS, APFS), else a copy.
    const mode = constants.COPYFILE_FICLONE;
    cpSync(template, dataDir, { recursive: true, mode, filter: (src) => src !== join(template, PG_VERSION) });
    cpSync(join(template, PG_VERSION), join(dataDir, PG_VERSION), { mode });
  } catch (err) {
    // Leave no half database for PGlite's initdb to write over: remove it (if that throws too,
    // the marker stays and the start fails, so the next one redoes the seed).
    for (const n of readdirSync(dataDir)) if (!OWN_FILES.has(n) && n !== SEEDING) rmSync(join(dataDir, n), { recursive: true, force: true });
    rmSync(join(dataDir, SEEDING), { force: true });
    warn(`Could not copy the prepared database from ${template} (${err instanceof Error ? err.message : String(err)}); PGlite creates one instead.`);
    return false;
  }
  rmSync(join(dataDir, SEEDING), { force: true });
  return true;
}

/**
 * seedPgliteDataDir under the DATA_DIR lock, taken only when there is something to seed (a
 * DATA_DIR without a database and a template beside the built code), so other starts pay nothing.
 * Throws DataDirLockedError when another process holds the directory.
 */
export async function seedFreshDataDir(dataDir: string, template: string, warn: (message: string) => void): Promise<boolean> {
  if (existsSync(join(dataDir, PG_VERSION)) || !existsSync(join(template, PG_VERSION))) return false;
  const unlock = await lockDataDir(dataDir);
  try {
    return seedPgliteDataDir(dataDir, template, warn);
  } finally {
    await unlock();
  }
}
