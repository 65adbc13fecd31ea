// Whether dist/ still matches its sources, by modification times: `npm start` and bin/handoff.mjs
// ask it on every run, so it only stats files (a few milliseconds) and never reads one.
import { readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What each part of the build is made from, relative to the package root. Folders count with
 * everything under them, and a folder's own time too, so a deleted file also makes a part stale.
 */
export const BUILD_PARTS = {
  /** dist/node.js, dist/cli.js and their chunks: the bundled TypeScript. */
  code: ["src", "fixtures", "drizzle", "package.json", "scripts/build.mjs", "scripts/build-freshness.mjs"],
  /** dist/pgdata-template: an initialised, migrated PGlite data directory a fresh DATA_DIR starts from. */
  template: ["drizzle", "package-lock.json", "scripts/build.mjs"],
  /** dist/assets: the Worker's static files (the API reference page's script, the console's htmx). */
  assets: ["vendor/scalar", "vendor/htmx", "scripts/build.mjs"],
};

/** The file whose modification time says when a part's build began. */
export const stampPath = (root, part) => join(root, "dist", `.built-${part}`);

/** The newest modification time (ms) of `paths` under `root` and everything below them; 0 if none exist. */
export function newestChange(root, paths) {
  let newest = 0;
  const visit = (path) => {
    let st;
    try {
      st = statSync(path);
    } catch (err) {
      if (err.code === "ENOENT") return;
      throw err;
    }
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  for (const p of paths) visit(join(root, p));
  return newest;
}

/** True when `part` was never built, or one of its inputs changed since its build began. */
export function isStale(root, part) {
  let built;
  try {
    built = statSync(stampPath(root, part)).mtimeMs;
  } catch {
    return true;
  }
  return newestChange(root, BUILD_PARTS[part]) > built;
}

/** The parts of the build that need making again. */
export function staleParts(root) {
  return Object.keys(BUILD_PARTS).filter((part) => isStale(root, part));
}

/**
 * Records that `part` was built from its inputs as they were at `startedAt` (ms): the stamp takes
 * that time, so an edit made while the build ran still counts as newer than the build.
 */
export function markBuilt(root, part, startedAt) {
  const path = stampPath(root, part);
  writeFileSync(path, `${new Date(startedAt).toISOString()}\n`);
  utimesSync(path, startedAt / 1000, startedAt / 1000);
}
