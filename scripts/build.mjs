// Builds dist/: the Node entry and the CLI as bundled JavaScript (so a start runs no TypeScript
// compiler), and a migrated PGlite data directory a fresh DATA_DIR is copied from (so a first
// start skips PGlite's initdb, seconds of work). Run by `npm ci` (prepare) and by `npm start`
// (scripts/start.mjs) when stale. And dist/assets/, the static files of the Worker.
//
//   node scripts/build.mjs              # build every part
//   node scripts/build.mjs --if-stale   # only what its sources changed since (scripts/build-freshness.mjs)
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isStale, markBuilt, staleParts } from "./build-freshness.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");

/** Bundles our code; node_modules stay external, so PGlite finds its wasm and postgres.js keeps its mend. */
async function buildCode() {
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { node: "src/node.ts", cli: "src/cli.ts" },
    outdir: DIST,
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    // The CLI imports its heavy modules lazily; splitting keeps them out of `handoff leads`.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    write: false,
    logLevel: "warning",
  });
  // Each file replaced in one rename, so a process starting meanwhile never reads half a file.
  const written = new Set();
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(`${file.path}.tmp-${process.pid}`, file.contents);
    renameSync(`${file.path}.tmp-${process.pid}`, file.path);
    written.add(file.path);
  }
  // Chunks of earlier builds (their names carry a content hash) would otherwise pile up.
  for (const name of readdirSync(join(DIST, "chunks"))) {
    if (!written.has(join(DIST, "chunks", name))) rmSync(join(DIST, "chunks", name), { force: true });
  }
}

/** Creates and migrates a PGlite data directory in a scratch folder, then swaps it in. */
async function buildTemplate() {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const scratch = join(DIST, `.pgdata-template-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  try {
    const client = new PGlite(scratch);
    await client.waitReady;
    await migrate(drizzle(client), { migrationsFolder: join(ROOT, "drizzle") });
    await client.close();
    rmSync(join(DIST, "pgdata-template"), { recursive: true, force: true });
    renameSync(scratch, join(DIST, "pgdata-template"));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * dist/assets/: the static files Workers serve beside the Worker (wrangler.toml [assets]), so the
 * ~1 MB gzip script of the API reference page (/api/docs) never enters the Worker's bundle. On
 * Node the gateway serves the same file (src/runtime/docs-script.ts).
 */
async function buildAssets() {
  for (const [source, path] of [
    [SCALAR_SCRIPT, ["api", "docs", "scalar.js"]],
    [HTMX_SCRIPT, ["console", "assets", "htmx.min.js"]],
  ]) {
    const target = join(DIST, "assets", ...path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(ROOT, source), `${target}.tmp-${process.pid}`);
    renameSync(`${target}.tmp-${process.pid}`, target);
  }
}

/** Scalar's standalone script, vendored (vendor/scalar/README.md says why and how to update it). */
const SCALAR_SCRIPT = "vendor/scalar/api-reference-1.46.4.standalone.js";
/** htmx 2.x for the console (/console/assets/htmx.min.js), vendored (vendor/htmx/README.md). */
const HTMX_SCRIPT = "vendor/htmx/htmx-2.0.11.min.js";

const BUILDERS = { code: buildCode, template: buildTemplate, assets: buildAssets };

/** Builds `parts` under a lock on dist/, so two starts at once build once. */
async function buildParts(parts, { onlyStale }) {
  mkdirSync(join(DIST, "chunks"), { recursive: true });
  const { default: lockfile } = await import("proper-lockfile");
  const release = await lockfile.lock(DIST, {
    lockfilePath: join(DIST, ".build.lock"),
    stale: 10_000,
    update: 2_000,
    retries: { retries: 240, minTimeout: 250, maxTimeout: 250, factor: 1 },
  });
  try {
    for (const part of parts) {
      // Another process may have built it while this one waited for the lock.
      if (onlyStale && !isStale(ROOT, part)) continue;
      const startedAt = Date.now();
      await BUILDERS[part]();
      markBuilt(ROOT, part, startedAt);
      console.error(`built ${relative(ROOT, DIST)}/ (${part}) in ${Date.now() - startedAt} ms`);
    }
  } finally {
    await release();
  }
}

/**
 * Builds what is stale (every part when `all`); on failure prints why and exits 1, since nothing
 * can run from a half-made dist/. Called by scripts/start.mjs in the process it then serves from.
 */
export async function buildDist({ all = false } = {}) {
  const parts = all ? Object.keys(BUILDERS) : staleParts(ROOT);
  if (parts.length === 0) return;
  try {
    await buildParts(parts, { onlyStale: !all });
  } catch (err) {
    console.error(`Building dist/ failed: ${err instanceof Error ? err.stack : err}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildDist({ all: !process.argv.includes("--if-stale") });
}
