import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * `npm start` runs `node scripts/build.mjs --if-stale` first, and bin/handoff.mjs picks dist/ or
 * tsx by the same check: on a copy of the package, an edit must reach what runs.
 */
describe("rebuilding dist/ when its sources change (a copy of the package)", () => {
  let copy: string;
  const build = () => execFileSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { cwd: copy, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  /** What `--if-stale` built: its report goes to stderr, so run it capturing both. */
  const buildReport = () => {
    const r = execFileSync("bash", ["-c", "node scripts/build.mjs --if-stale 2>&1"], { cwd: copy, encoding: "utf8" });
    return r.trim();
  };
  const handoffHelp = () => execFileSync(process.execPath, ["bin/handoff.mjs", "help"], { cwd: copy, encoding: "utf8", env: { PATH: process.env.PATH! } });
  const edit = (path: string, from: string, to: string) => {
    const text = readFileSync(join(copy, path), "utf8");
    expect(text).toContain(from);
    writeFileSync(join(copy, path), text.replace(from, to));
  };

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), "handoff-rebuild-"));
    for (const p of ["src", "fixtures", "drizzle", "scripts", "bin", "vendor", "package.json", "package-lock.json", "tsconfig.json"]) cpSync(join(ROOT, p), join(copy, p), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
    build();
  }, 120_000);
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("builds nothing when nothing changed", () => {
    expect(buildReport()).toBe("");
  });

  it("rebuilds the code, not the template, after an edit under src/, and the build carries it", () => {
    edit("src/node.ts", "Handoff gateway listening on", "Handoff gateway (edited) listening on");
    expect(buildReport()).toMatch(/^built dist\/ \(code\) in \d+ ms$/);
    expect(readFileSync(join(copy, "dist", "node.js"), "utf8")).toContain("Handoff gateway (edited) listening on");
    expect(buildReport()).toBe("");
  }, 60_000);

  it("npm start's script rebuilds after an edit and then serves the new build", async () => {
    edit("src/node.ts", "Handoff gateway (edited) listening on", "Handoff gateway (edited twice) listening on");
    const dataDir = join(copy, "data");
    const child = spawn(process.execPath, ["scripts/start.mjs"], { cwd: copy, env: { PATH: process.env.PATH!, DATA_DIR: dataDir, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (c: Buffer) => {
        out += c.toString();
        if (/listening on http/.test(out)) resolve();
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      void exited.then((code) => reject(new Error(`start.mjs exited (${code}):\n${out}`)));
    });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toMatch(/built dist\/ \(code\) in \d+ ms/);
    expect(out).toContain("Handoff gateway (edited twice) listening on");
  }, 60_000);

  it("bin/handoff.mjs runs the source through tsx while the build is stale, the build once it is fresh", () => {
    edit("src/cli.ts", "handoff <command>", "handoff <edited command>");
    expect(handoffHelp()).toContain("handoff <edited command>"); // not yet built: from src/
    build();
    // Mark the built file, so the next answer can only have come from dist/.
    edit("dist/cli.js", "handoff <edited command>", "handoff <built command>");
    expect(handoffHelp()).toContain("handoff <built command>");
  }, 60_000);
});
