import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../helpers/cli-process.ts";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";
import { completeLead } from "../helpers/test-app.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TOKEN = "built-server-token";

/** Waits for the whole start banner: "listening" comes first, the demo line after it. */
const banner = (gateway: GatewayProcess) => vi.waitFor(() => expect(gateway.output()).toContain("Create a lead:"), { timeout: 10_000 });

/** Stops a gateway as a process manager would and waits for it to go. */
async function stop(gateway: GatewayProcess): Promise<number | null> {
  if (gateway.child.exitCode === null) gateway.child.kill("SIGTERM");
  return gateway.exited;
}

/**
 * `npm start` runs dist/node.js, the bundle scripts/build.mjs makes: it must find the migrations
 * and the demo by path from dist/, and a fresh DATA_DIR starts from the prepared data directory.
 */
describe("the built gateway (node dist/node.js)", () => {
  let dir: string;
  let gateway: GatewayProcess;
  let base: string;

  beforeAll(async () => {
    // What `npm start` does first; a no-op when `npm ci` (prepare) built it and nothing changed.
    execFileSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { cwd: ROOT, stdio: "pipe" });
    dir = mkdtempSync(join(tmpdir(), "handoff-built-"));
    gateway = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: "" }, ["--enable-source-maps", "dist/node.js"]);
    base = await gateway.ready;
  }, 90_000);
  afterAll(async () => {
    await stop(gateway);
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts on a fresh data directory copied from the template, migrated, with the demo loaded", async () => {
    await banner(gateway);
    expect(gateway.output()).toContain('demo business "acme" loaded');
    expect(existsSync(join(dir, "PG_VERSION"))).toBe(true);
    expect(readdirSync(dir)).not.toContain(".handoff-seeding");
    // initdb gives every cluster a new system identifier (pg_control's first 8 bytes): a copy keeps it.
    const systemId = (pgdata: string) => readFileSync(join(pgdata, "global", "pg_control")).subarray(0, 8).toString("hex");
    expect(systemId(dir)).toBe(systemId(join(ROOT, "dist", "pgdata-template")));
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
  });

  it("creates a lead, lists it, and the built CLI reads it through the server", async () => {
    const res = await fetch(`${base}/api/leads`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(completeLead({ fullName: "Built Bundle" })),
    });
    expect(res.status).toBe(201);
    const list = await fetch(`${base}/api/leads`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(JSON.stringify(await list.json())).toContain("Built Bundle");
    const cli = await runCli(["leads"], { DATA_DIR: dir, ADMIN_TOKEN: TOKEN });
    expect(cli.stderr).toBe("");
    expect(cli.stdout).toContain("Built Bundle");
  });

  it("starts again on the same directory and keeps what it stored", async () => {
    expect(await stop(gateway)).toBe(0);
    gateway = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: "" }, ["--enable-source-maps", "dist/node.js"]);
    base = await gateway.ready;
    await banner(gateway);
    expect(gateway.output()).not.toContain("demo business");
    const list = await fetch(`${base}/api/leads`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(JSON.stringify(await list.json())).toContain("Built Bundle");
  }, 60_000);
});
