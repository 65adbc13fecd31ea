import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { businesses, timers } from "../../src/db/schema/index.ts";
import { serverFilePath, type ServerFile } from "../../src/runtime/server-file.ts";
import { runCli } from "../helpers/cli-process.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";
import { completeLead } from "../helpers/test-app.ts";

const TOKEN = "cli-test-token";
const OTHER_SECRET = "plumbco-own-vapi-secret";

/** A second business with its own vapi secret, as a user would add one. */
function writeOtherBusiness(dir: string): string {
  const config = demoInput();
  config.slug = "plumbco";
  config.name = "PlumbCo";
  config.numbers = ["+15125550900"];
  config.secrets = { ...config.secrets, vapi: OTHER_SECRET };
  const file = join(dir, "plumbco.json");
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/**
 * The real `handoff` command against a real gateway process, as README's walk-through uses them:
 * `npm start` holds the embedded database, and every command must still work.
 */
describe("the handoff command beside a running gateway (embedded database)", () => {
  let dir: string;
  let gateway: GatewayProcess;
  let base: string;
  // PORT is deliberately not the server's: the CLI finds it through DATA_DIR/server.json.
  const cliEnv = () => ({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, PORT: "1" });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "handoff-cli-"));
    gateway = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: "" });
    base = await gateway.ready;
    const created = await fetch(`${base}/api/leads`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(completeLead({ fullName: "Jane Doe", serviceAddress: undefined, summaryNotes: "Kitchen sink\nleaking" })),
    });
    expect(created.status).toBe(201);
  }, 90_000);
  afterAll(async () => {
    if (gateway.child.exitCode === null) gateway.child.kill("SIGKILL");
    await gateway.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it("leads asks the server that holds the database", async () => {
    const r = await runCli(["leads"], cliEnv());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CODE\s+BUSINESS/);
    expect(r.stdout).toMatch(/1001\s+acme\s+intake\s+standard\s+Jane Doe/);
  }, 60_000);

  it("show acme:1001 prints the fields with the missing ones marked, the timeline in business time, and the messages", async () => {
    const r = await runCli(["show", "acme:1001"], cliEnv());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Lead acme:1001 {2}INTAKE/);
    expect(r.stdout).toMatch(/fullName\s+Jane Doe/);
    expect(r.stdout).toMatch(/serviceAddress\s+MISSING \(or a market\)/);
    expect(r.stdout).toMatch(/summaryNotes\s+Kitchen sink\n\s{20}leaking/);
    expect(r.stdout).toMatch(/missing\s+serviceAddress/);
    expect(r.stdout).toContain("Timeline (America/Chicago)");
    expect(r.stdout).toMatch(/ C[SD]T {2}created {2}by api/);
    expect(r.stdout).toMatch(/sms → \+15125550115 \(ivy\) {2}incomplete {2}dry-run/);
    const unknown = await runCli(["show", "acme:9999"], cliEnv());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No lead acme:9999");
  }, 60_000);

  it.each([["head -1"], ["head -c0"]])("leads | %s exits 0 without a stack trace", async (pipeTo) => {
    for (const args of [["leads"], ["show", "acme:1001"], ["help"]]) {
      const r = await runCli(args, cliEnv(), { pipeTo });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
  }, 90_000);

  it("apply goes through the server, and simulate to that business needs its secret", async () => {
    const applied = await runCli(["apply", writeOtherBusiness(dir)], cliEnv());
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toContain("Applied plumbco: version 1.");

    // The server holds the database and the API masks secrets: say so instead of guessing.
    const blind = await runCli(["simulate", "vapi", "fixtures/vapi/complete-call.json", "--business", "plumbco"], cliEnv());
    expect(blind.code).toBe(2);
    expect(blind.stderr).toContain("pass --secret <plumbco's vapi secret>");

    // A secret that is not the business's: the server refuses it, and the command says what to do.
    const wrong = await runCli(["simulate", "vapi", "fixtures/vapi/complete-call.json", "--business", "plumbco"], { ...cliEnv(), VAPI_SECRET: "not-it" });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain("401 Unauthorized POST /webhooks/plumbco/vapi");
    expect(wrong.stderr).toContain("the server refused the signature: pass --secret <plumbco's vapi secret>");

    const signed = await runCli(["simulate", "vapi", "fixtures/vapi/complete-call.json", "--business", "plumbco", "--secret", OTHER_SECRET], cliEnv());
    expect(signed.stderr).toBe("");
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain("200 OK POST /webhooks/plumbco/vapi");
    expect(signed.stdout).toContain("Lead plumbco:1001: offered, owner dana. More: npx handoff show plumbco:1001");
  }, 120_000);

  it("simulate to the demo business signs with the demo's secret and prints the lead it made", async () => {
    const r = await runCli(["simulate", "vapi", "fixtures/vapi/emergency-burst-pipe.json"], cliEnv());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Lead acme:1002: offered, owner dana/);
  }, 60_000);

  it("trusts only the gateway that wrote server.json: a stale file or another program on its URL is ignored", async () => {
    const file = JSON.parse(readFileSync(serverFilePath(dir), "utf8")) as ServerFile;
    gateway.child.kill("SIGKILL");
    await gateway.exited;
    // Something else now answers /healthz at a URL the file names, for a process that lives.
    const impostor: Server = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
    writeFileSync(serverFilePath(dir), JSON.stringify({ ...file, url, pid: process.pid }));
    try {
      const r = await runCli(["leads", "--business", "acme"], cliEnv());
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      // Read from the database itself (its lock went stale with the killed server).
      expect(r.stdout).toMatch(/1001\s+acme\s+intake/);
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
  }, 90_000);
});

describe.skipIf(!TEST_DATABASE_URL)("the handoff command beside a running gateway (PostgreSQL)", () => {
  let dir: string;
  let database: TestDatabase;
  let gateway: GatewayProcess;
  const cliEnv = () => ({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: database.url, PORT: "1" });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "handoff-cli-pg-"));
    database = await createTestDatabase();
    gateway = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: database.url });
    await gateway.ready;
  }, 90_000);
  afterAll(async () => {
    if (gateway.child.exitCode === null) gateway.child.kill("SIGKILL");
    await gateway.exited;
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("simulate reads the business's own secret from the shared database, without --secret", async () => {
    expect((await runCli(["apply", writeOtherBusiness(dir)], cliEnv())).stdout).toContain("Applied plumbco: version 1.");
    const r = await runCli(["simulate", "vapi", "fixtures/vapi/complete-call.json", "--business", "plumbco"], cliEnv());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Lead plumbco:1001: offered, owner dana");
    const shown = await runCli(["show", "plumbco:1001"], cliEnv());
    expect(shown.stdout).toMatch(/channel\s+vapi/);
  }, 120_000);
});

describe.skipIf(!TEST_DATABASE_URL)("handoff apply on the database itself, no server answering (PostgreSQL)", () => {
  let dir: string;
  let database: TestDatabase;
  const cliEnv = () => ({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: database.url, PORT: "1" });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "handoff-cli-db-"));
    database = await createTestDatabase();
  }, 90_000);
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const MINUTE = 60_000;
  /** The first whole minute at or after `ms` from now. */
  const minuteFromNow = (ms: number) => new Date(Math.ceil((Date.now() + ms) / MINUTE) * MINUTE);
  /** "HH:MM" of an instant in Chicago, the demo business's zone. */
  const chicagoClock = (at: Date) =>
    new Intl.DateTimeFormat("en-GB", { timeZone: "America/Chicago", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  const applyRota = async (change: (schedule: any) => void = () => {}) => {
    const config: any = demoInput();
    config.slug = "rota";
    config.numbers = ["+15125550901"];
    config.schedules[0].rotation = { every: "1d", handoff: chicagoClock(handoffAt), members: ["dana", "omar"] };
    change(config.schedules[0]);
    const file = join(dir, "rota.json");
    writeFileSync(file, JSON.stringify(config));
    const r = await runCli(["apply", file], cliEnv());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return r.stdout;
  };
  const shiftStarts = async () => {
    const [business] = await database.handle.db.select().from(businesses).where(eq(businesses.slug, "rota"));
    const rows = await database.handle.db.select().from(timers).where(and(eq(timers.businessId, business!.id), eq(timers.kind, "shift-start")));
    return rows.map((t) => ({ status: t.status, dueAt: t.dueAt.toISOString() })).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  };
  // The daily handoff half a day away, so the override below starts well before it.
  const handoffAt = minuteFromNow(12 * 60 * MINUTE);

  it("plans the next shift-start text at once, and an apply that changes the schedule plans it again", async () => {
    expect(await applyRota()).toContain("Applied rota: version 1.");
    expect(await shiftStarts()).toEqual([{ status: "pending", dueAt: handoffAt.toISOString() }]);

    // An override from two hours on makes that the next shift start; the old one is canceled.
    const from = minuteFromNow(120 * MINUTE);
    const to = new Date(from.getTime() + 60 * MINUTE);
    expect(await applyRota((s) => (s.overrides = [{ member: "sam", from: from.toISOString(), to: to.toISOString() }]))).toContain("Applied rota: version 2.");
    expect(await shiftStarts()).toEqual([
      { status: "pending", dueAt: from.toISOString() },
      { status: "canceled", dueAt: handoffAt.toISOString() },
    ]);
  }, 120_000);
});
