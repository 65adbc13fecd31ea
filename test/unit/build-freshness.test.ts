import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUILD_PARTS, markBuilt, staleParts } from "../../scripts/build-freshness.mjs";

// Times are set explicitly: a file system's clock is coarser than Date.now().
const HOUR = 3_600_000;
const now = Date.now();

describe("whether dist/ is stale (scripts/build-freshness.mjs)", () => {
  let root: string;
  const write = (path: string, text = "x") => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  /** Every input, file and folder, dated two hours ago. */
  const ageEverything = () => {
    const age = (path: string) => utimesSync(join(root, path), (now - 2 * HOUR) / 1000, (now - 2 * HOUR) / 1000);
    for (const p of ["src/db/migrate.ts", "src/db", "src", "fixtures/demo-business.json", "fixtures", "drizzle/0000_init.sql", "drizzle", "package.json", "package-lock.json"]) age(p);
  };
  const touch = (path: string, at = now) => utimesSync(join(root, path), at / 1000, at / 1000);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "handoff-fresh-"));
    for (const p of ["src/db/migrate.ts", "fixtures/demo-business.json", "drizzle/0000_init.sql", "package.json", "package-lock.json"]) write(p);
    mkdirSync(join(root, "dist"));
    ageEverything();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is stale in every part before the first build", () => {
    expect(staleParts(root)).toEqual(Object.keys(BUILD_PARTS));
  });

  it("is fresh once built from inputs older than the build", () => {
    markBuilt(root, "code", now - HOUR);
    markBuilt(root, "template", now - HOUR);
    markBuilt(root, "assets", now - HOUR);
    expect(staleParts(root)).toEqual([]);
  });

  it("needs the code rebuilt, and only the code, after an edit under src/", () => {
    markBuilt(root, "code", now - HOUR);
    markBuilt(root, "template", now - HOUR);
    markBuilt(root, "assets", now - HOUR);
    touch("src/db/migrate.ts");
    expect(staleParts(root)).toEqual(["code"]);
  });

  it("needs both parts rebuilt after a new migration, the template for its schema", () => {
    markBuilt(root, "code", now - HOUR);
    markBuilt(root, "template", now - HOUR);
    markBuilt(root, "assets", now - HOUR);
    write("drizzle/0001_next.sql");
    expect(staleParts(root)).toEqual(["code", "template"]);
  });

  it("needs the template rebuilt after a dependency change, and the Worker's static files after a vendored one", () => {
    markBuilt(root, "code", now - HOUR);
    markBuilt(root, "template", now - HOUR);
    markBuilt(root, "assets", now - HOUR);
    touch("package-lock.json");
    expect(staleParts(root)).toEqual(["template"]);
    write("vendor/scalar/next.standalone.js");
    expect(staleParts(root)).toEqual(["template", "assets"]);
  });

  it("counts a deleted source file (its folder's time changes)", () => {
    markBuilt(root, "code", now - HOUR);
    markBuilt(root, "template", now - HOUR);
    markBuilt(root, "assets", now - HOUR);
    rmSync(join(root, "fixtures/demo-business.json"));
    expect(staleParts(root)).toEqual(["code"]);
  });

  it("counts an edit made while the build ran: the stamp keeps the build's start", () => {
    const started = now - HOUR;
    touch("src/db/migrate.ts", started + 1_000); // saved a second into the build
    markBuilt(root, "code", started);
    markBuilt(root, "template", started);
    markBuilt(root, "assets", started);
    expect(staleParts(root)).toEqual(["code"]);
  });
});
