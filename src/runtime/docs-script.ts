import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { DocsScript } from "../http/api/reference.ts";

/** Scalar's standalone script, vendored (vendor/scalar/README.md says why). */
const SCALAR_SCRIPT = "vendor/scalar/api-reference-1.46.4.standalone.js";

/**
 * Where the script is, run from source (src/runtime/) or from the build (dist/node.js and its
 * chunks, beside the copy scripts/build.mjs puts in dist/assets/).
 */
function scriptPath(): string {
  const candidates = [`../../${SCALAR_SCRIPT}`, "./assets/api/docs/scalar.js", "../assets/api/docs/scalar.js", `../${SCALAR_SCRIPT}`];
  for (const candidate of candidates) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`the API reference script is missing: ${SCALAR_SCRIPT} (or dist/assets/api/docs/scalar.js)`);
}

/**
 * Scalar's standalone script (~3.5 MB, ~1 MB gzip) for the API reference page, read once, on the
 * first request, and served from memory with a day's caching.
 */
export function nodeDocsScript(): DocsScript {
  let script: Promise<Uint8Array> | undefined;
  return async () => {
    script ??= readFile(scriptPath()).catch((err) => {
      script = undefined;
      throw err;
    });
    return new Response(await script, {
      headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
    });
  };
}
