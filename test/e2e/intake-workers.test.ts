import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.ts";
import { apiCaller, startGateway, startWorker, type GatewayProcess } from "../helpers/gateway-process.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";
import { completeIntake } from "../helpers/intake-payload.ts";
import { signedHeaders } from "../helpers/sign-fixture.ts";
import { sleep, waitFor } from "../helpers/wait-for.ts";

const TOKEN = "intake-workers-token";

describe.skipIf(!TEST_DATABASE_URL)("the server with INTAKE_IN_WORKERS=1 and a `handoff worker` beside it (PostgreSQL)", () => {
  let db: TestDatabase;
  const processes: GatewayProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase({ max: 2 });
  });
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await Promise.all(processes.map((p) => p.exited));
    await db?.drop();
  });

  it("stores a signed intake and makes no lead until a worker runs; the worker makes the lead and sends its offer", async () => {
    const gateway = startGateway({ DATABASE_URL: db.url, ADMIN_TOKEN: TOKEN, INTAKE_IN_WORKERS: "1" });
    processes.push(gateway);
    const base = await gateway.ready;
    await waitFor(async () => gateway.output().includes("left to `handoff worker` processes"), 5_000, "the server's intake line");
    const api = apiCaller(base, TOKEN);

    const body = completeIntake(1, "split");
    const res = await fetch(`${base}/webhooks/acme/intake`, { method: "POST", body, headers: await signedHeaders("intake", body, new Date()) });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };

    // Well past what the server takes to process a lead itself (tens of ms), and past its first sweep.
    await sleep(1_500);
    const pg = postgres(db.url, { max: 1, onnotice: () => {} });
    const [stored] = await pg`select status, attempts from inbound_events where id = ${id}`.finally(() => pg.end({ timeout: 5 }));
    expect(stored).toMatchObject({ status: "received", attempts: 0 });
    expect((await api("GET", "/api/leads")).body.leads).toHaveLength(0);

    const worker = startWorker({ DATABASE_URL: db.url, ADMIN_TOKEN: TOKEN, INTAKE_IN_WORKERS: "1", WORKER_CONCURRENCY: "3" });
    processes.push(worker);
    expect(await worker.ready).toMatch(/intake of vapi, retell, bland, intake webhooks, 3 at a time/);
    // Below the server's priority, so ingress keeps the CPU on a shared machine: nice is field 19 of /proc/<pid>/stat.
    const niceOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    expect(niceOf(gateway.child.pid!)).toBe(getPriority());
    expect(niceOf(worker.child.pid!)).toBe(Math.max(10, getPriority()));

    const lead = await waitFor(
      async () => (await api("GET", "/api/leads")).body.leads.find((l: { state: string }) => l.state === "offered"),
      20_000,
      "the worker to offer the lead",
    );
    expect(lead).toMatchObject({ fullName: "Caller 1 Doe" });
    const offers = await waitFor(
      async () => {
        const messages = (await api("GET", `/api/messages?lead=${lead.id}`)).body.messages as { purpose: string; status: string }[];
        const sent = messages.filter((m) => m.purpose === "offer" && m.status === "dry-run");
        return sent.length ? sent : null;
      },
      10_000,
      "the offer to be handed to the messaging port",
    );
    expect(offers).toHaveLength(1);
    expect(worker.output()).toContain("[dry-run SMS →");
    expect(gateway.output()).not.toContain("[dry-run SMS →");

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain("handoff worker stopped: 1 stored webhooks processed");
    gateway.child.kill("SIGTERM");
    await gateway.exited;
  }, 60_000);
});

describe("what refuses the embedded database", () => {
  const dir = mkdtempSync(join(tmpdir(), "handoff-worker-pglite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("`handoff worker` without DATABASE_URL exits 1 saying the data directory is the server's", async () => {
    const result = await runCli(["worker"], { DATA_DIR: dir, DATABASE_URL: "" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("handoff worker needs DATABASE_URL");
    expect(result.stderr).toContain("locked by the server");
  }, 30_000);

  it("the server with INTAKE_IN_WORKERS=1 and no DATABASE_URL does not start, and says why", async () => {
    const gateway = startGateway({ DATA_DIR: dir, DATABASE_URL: "", INTAKE_IN_WORKERS: "1" });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toContain("INTAKE_IN_WORKERS=1 needs DATABASE_URL");
  }, 30_000);

  it("an INTAKE_IN_WORKERS that is not a yes or no is refused at start", async () => {
    const gateway = startGateway({ DATA_DIR: dir, DATABASE_URL: "", INTAKE_IN_WORKERS: "sometimes" });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toContain("INTAKE_IN_WORKERS: must be 1, true, 0 or false");
  }, 30_000);
});
