import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedPgliteDataDir } from "../../src/db/pglite-seed.ts";

// The copy itself on small trees; test/e2e/built-server.test.ts starts PGlite on a real seed.
describe("seeding a fresh DATA_DIR from the build's template", () => {
  let root: string;
  let template: string;
  let dataDir: string;
  const warnings: string[] = [];
  const warn = (m: string) => void warnings.push(m);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "handoff-seed-"));
    template = join(root, "template");
    dataDir = join(root, "data");
    mkdirSync(join(template, "base", "5"), { recursive: true });
    writeFileSync(join(template, "PG_VERSION"), "17\n");
    writeFileSync(join(template, "base", "5", "1259"), "catalog");
    writeFileSync(join(template, "postgresql.conf"), "# conf");
    mkdirSync(dataDir);
    warnings.length = 0;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("copies the whole template into a directory with only the gateway's own files", () => {
    writeFileSync(join(dataDir, ".handoff.pid"), "123");
    expect(seedPgliteDataDir(dataDir, template, warn)).toBe(true);
    expect(readdirSync(dataDir).sort()).toEqual([".handoff.pid", "PG_VERSION", "base", "postgresql.conf"]);
    expect(readFileSync(join(dataDir, "base", "5", "1259"), "utf8")).toBe("catalog");
    expect(warnings).toEqual([]);
  });

  it("leaves a directory that already has a database alone", () => {
    writeFileSync(join(dataDir, "PG_VERSION"), "17\n");
    writeFileSync(join(dataDir, "postgresql.conf"), "# mine");
    expect(seedPgliteDataDir(dataDir, template, warn)).toBe(false);
    expect(readFileSync(join(dataDir, "postgresql.conf"), "utf8")).toBe("# mine");
    expect(existsSync(join(dataDir, "base"))).toBe(false);
  });

  it("leaves a directory holding someone else's files alone (PGlite decides, as before)", () => {
    writeFileSync(join(dataDir, "notes.txt"), "keep");
    expect(seedPgliteDataDir(dataDir, template, warn)).toBe(false);
    expect(readdirSync(dataDir)).toEqual(["notes.txt"]);
  });

  it("does nothing without a template (run from source, or a build without one)", () => {
    expect(seedPgliteDataDir(dataDir, join(root, "missing"), warn)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("redoes a seed a crash interrupted: the marker is there, PG_VERSION is not", () => {
    writeFileSync(join(dataDir, ".handoff-seeding"), "");
    mkdirSync(join(dataDir, "base", "5"), { recursive: true });
    writeFileSync(join(dataDir, "base", "5", "1259"), "cata"); // half written
    writeFileSync(join(dataDir, "base", "5", "9999"), "not in the template");
    expect(seedPgliteDataDir(dataDir, template, warn)).toBe(true);
    expect(readFileSync(join(dataDir, "base", "5", "1259"), "utf8")).toBe("catalog");
    expect(existsSync(join(dataDir, "base", "5", "9999"))).toBe(false);
    expect(readdirSync(dataDir)).not.toContain(".handoff-seeding");
  });

  it("removes what it copied and warns when the copy fails, so PGlite starts from nothing", () => {
    // Node's copy refuses a FIFO: a template it cannot copy whole, after the files before it.
    mkdirSync(join(template, "pg_wal"));
    execFileSync("mkfifo", [join(template, "pg_wal", "pipe")]);
    writeFileSync(join(dataDir, ".handoff.pid"), "123");
    expect(seedPgliteDataDir(dataDir, template, warn)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([".handoff.pid"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Could not copy the prepared database/);
  });
});
