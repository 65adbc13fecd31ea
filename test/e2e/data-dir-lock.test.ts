import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { completeLead } from "../helpers/test-app.ts";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";

const TOKEN = "lock-test-token";

describe("the embedded database's data directory", () => {
  const dirs: string[] = [];
  const running: GatewayProcess[] = [];
  const start = (dir: string) => {
    const p = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: "" });
    running.push(p);
    return p;
  };
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "handoff-lock-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("a second process on the same directory refuses to start, and the first keeps its writes", async () => {
    const dir = freshDir();
    const first = start(dir);
    const base = await first.ready;
    const created = await fetch(`${base}/api/leads`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(completeLead()),
    });
    expect(created.status).toBe(201);

    const second = start(dir);
    expect(await second.exited).toBe(3);
    expect(second.output()).toContain("Another Handoff process is using the embedded database");

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const third = start(dir);
    const base3 = await third.ready;
    const leads = await fetch(`${base3}/api/leads`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await leads.json()) as { leads: { code: number }[] }).leads.map((l) => l.code)).toEqual([1001]);
  }, 90_000);

  it("a process killed without cleaning up does not lock the directory for good", async () => {
    const dir = freshDir();
    const first = start(dir);
    await first.ready;
    first.child.kill("SIGKILL");
    await first.exited;
    const again = start(dir);
    await expect(again.ready).resolves.toMatch(/^http:\/\/localhost:\d+$/);
  }, 90_000);
});
