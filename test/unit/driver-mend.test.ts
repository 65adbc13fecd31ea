import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { postgresDriverMended } from "../../src/db/driver-mend.ts";

const driverFile = join(dirname(createRequire(import.meta.url).resolve("postgres")), "..", "..", "src", "connection.js");

describe("the postgres.js mend", () => {
  it("is installed: npm ci runs scripts/mend-postgres-driver.mjs", () => {
    expect(postgresDriverMended()).toBe(true);
  });

  it("is applied once however often the script runs", () => {
    const before = readFileSync(driverFile, "utf8");
    execFileSync(process.execPath, ["scripts/mend-postgres-driver.mjs"]);
    expect(readFileSync(driverFile, "utf8")).toBe(before);
    expect(before.match(/handoff: mended/g)).toHaveLength(4);
  });
});
