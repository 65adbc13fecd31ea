import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { DocsScript } from "../http/api/reference.ts";
import type { ConsoleScript } from "../console/routes.ts";

/** Scalar's standalone script, vendored (vendor/scalar/README.md says why). */
const SCALAR_SCRIPT = "vendor/scalar/api-reference-1.46.4.standalone.js";
/** htmx 2.x for the console, vendored (vendor/htmx/README.md). */
const HTMX_SCRIPT = "vendor/htmx/htmx-2.0.11.min.js";

/**
 * Where a vendored script is, run from source (src/runtime/) or from the build (dist/node.js and
 * its chunks, beside the copy scripts/build.mjs puts in dist/assets/ at `assetPath`).
 */
function scriptPath(vendored: string, assetPath: string): string {
  const candidates = [`../../${vendored}`, `./assets${assetPath}`, `../assets${assetPath}`, `../${vendored}`];
  for (const candidate of candidates) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`a vendored script is missing: ${vendored} (or dist/assets${assetPath})`);
}

/** A vendored script read once, on the first request, and served from memory with a day's caching. */
function servedScript(vendored: string, assetPath: string): () => Promise<Response> {
  let script: Promise<Uint8Array> | undefined;
  return async () => {
    script ??= readFile(scriptPath(vendored, assetPath)).catch((err) => {
      script = undefined;
      throw err;
    });
    return new Response(await script, {
      headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
    });
  };
}

/** Scalar's standalone script (~3.5 MB, ~1 MB gzip) for the API reference page. */
export function nodeDocsScript(): DocsScript {
  return servedScript(SCALAR_SCRIPT, "/api/docs/scalar.js");
}

/** htmx (~52 KB, ~16 KB gzip) for the console's pages. */
export function nodeConsoleScript(): ConsoleScript {
  return servedScript(HTMX_SCRIPT, "/console/assets/htmx.min.js");
}
