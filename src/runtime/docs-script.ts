import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { DocsScript } from "../http/api/reference.ts";

/**
 * Scalar's standalone script (~3.5 MB, ~1 MB gzip) for the API reference page, read from
 * node_modules once, on the first request, and served from memory with a day's caching.
 */
export function nodeDocsScript(): DocsScript {
  let script: Promise<Uint8Array> | undefined;
  return async () => {
    script ??= readFile(createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js")).catch((err) => {
      script = undefined;
      throw err;
    });
    return new Response(await script, {
      headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
    });
  };
}
