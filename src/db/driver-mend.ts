import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * True when the installed postgres.js carries the mend of scripts/mend-postgres-driver.mjs (run
 * by `npm install`'s postinstall; skipped by `--ignore-scripts`). Node only: it reads the driver.
 */
export function postgresDriverMended(): boolean {
  try {
    // "postgres" resolves to <root>/cjs/src/index.js; Node's ESM import loads <root>/src.
    const root = join(dirname(createRequire(import.meta.url).resolve("postgres")), "..", "..");
    return ["src", "cjs/src"].every((dir) => readFileSync(join(root, dir, "connection.js"), "utf8").includes("/* handoff: mended */"));
  } catch {
    return false;
  }
}
