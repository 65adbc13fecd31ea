import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { recordInbound } from "../../src/core/inbox.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway, startWorker, type GatewayProcess } from "../helpers/gateway-process.ts";
import { completeIntake } from "../helpers/intake-payload.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";
import { sleep, waitFor } from "../helpers/wait-for.ts";

const TOKEN = "intake-claims-token";

/** An OpenAI-compatible server that holds every request until told to answer them. */
async function heldLlm(): Promise<{ url: string; held: () => number; answerAll: (status: number) => void; close: () => void }> {
  const waiting: ServerResponse[] = [];
  let seen = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    req.resume();
    seen++;
    waiting.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    held: () => seen,
    // A 400 is not retried: the extractor gives up at once and the heuristic fills the lead.
    answerAll: (status) => {
      for (const res of waiting.splice(0)) res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "held" } }));
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe.skipIf(!TEST_DATABASE_URL)("`handoff worker` processes on one PostgreSQL", () => {
  let db: TestDatabase;
  let pg: postgres.Sql;
  let acmeId: string;
  let callers = 0;
  const processes: GatewayProcess[] = [];
  const env = () => ({ DATABASE_URL: db.url, ADMIN_TOKEN: TOKEN, INTAKE_IN_WORKERS: "1" });

  /** Stores `n` complete intakes for acme in one transaction, as the server would have (status received). */
  async function storeIntakes(n: number, tag: string, opts: { viaTranscript?: boolean } = {}): Promise<void> {
    await db.handle.db.transaction(async (tx) => {
      for (let i = 0; i < n; i++) {
        // A caller of its own across the suite: the same phone would update an open lead instead.
        const caller = callers++;
        const rawBody = completeIntake(caller, tag, opts);
        await recordInbound(tx as unknown as Db, { businessId: acmeId, provider: "intake", idempotencyKey: `intake:${tag}-${caller}`, rawBody, headers: new Headers(), now: new Date() });
      }
    });
  }
  const rows = (tag: string) =>
    pg<{ status: string; attempts: number; lead_id: string | null }[]>`
      select status, attempts, lead_id from inbound_events where raw_body like ${`%"externalId":"${tag}-%`} order by received_at, id`;
  const offersFor = async (tag: string) => {
    const [row] = await pg<{ leads: number; offers: number }[]>`
      select count(distinct l.id)::int as leads, count(m.id)::int as offers
      from leads l left join outbound_messages m on m.lead_id = l.id and m.purpose = 'offer' and m.status = 'dry-run'
      where l.external_id like ${`${tag}-%`}`;
    return { ...row! };
  };

  beforeAll(async () => {
    db = await createTestDatabase({ max: 2 });
    pg = postgres(db.url, { max: 1, onnotice: () => {} });
    // The server migrates and loads the demo business; it leaves stored intake to the workers.
    const gateway = startGateway(env());
    processes.push(gateway);
    await gateway.ready;
    const [acme] = await pg<{ id: string }[]>`select id from businesses where slug = 'acme'`;
    acmeId = acme!.id;
  }, 30_000);
  afterEach(() => {
    for (const p of processes.slice(1)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  });
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await Promise.all(processes.map((p) => p.exited));
    await pg?.end({ timeout: 5 });
    await db?.drop();
  });

  it("two workers and 200 stored events: each event processed exactly once, one lead and one offer each", async () => {
    const workers = [startWorker({ ...env(), WORKER_CONCURRENCY: "8" }), startWorker({ ...env(), WORKER_CONCURRENCY: "8" })];
    processes.push(...workers);
    await Promise.all(workers.map((w) => w.ready));
    // All at once, so both workers claim from the same 200 rows at the same moment.
    await storeIntakes(200, "pair");

    // About 10 s alone on two cores; far longer when other suites share them.
    await waitFor(async () => (await rows("pair")).every((r) => r.status === "processed"), 70_000, "all 200 events processed", 250);
    const done = await rows("pair");
    expect(done).toHaveLength(200);
    expect(done.filter((r) => r.attempts !== 1)).toEqual([]);
    expect(new Set(done.map((r) => r.lead_id)).size).toBe(200);
    await waitFor(async () => (await offersFor("pair")).offers === 200, 10_000, "200 offers handed to the messaging port");
    expect(await offersFor("pair")).toEqual({ leads: 200, offers: 200 });

    for (const w of workers) w.child.kill("SIGTERM");
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    const finished = workers.map((w) => Number(/stopped: (\d+) stored webhooks processed/.exec(w.output())?.[1]));
    expect(finished[0]! + finished[1]!).toBe(200);
    expect(Math.min(...finished)).toBeGreaterThan(0);
  }, 100_000);

  it("a worker killed with SIGKILL mid-way: another worker takes its rows over once the lease runs out", async () => {
    const llm = await heldLlm();
    try {
      const lease = { INBOX_LEASE_MS: "2000" };
      const doomed = startWorker({ ...env(), ...lease, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: llm.url });
      processes.push(doomed);
      await doomed.ready;
      await storeIntakes(3, "killed", { viaTranscript: true });
      // All three are mid-extraction in the doomed worker.
      await waitFor(async () => llm.held() === 3, 15_000, "three extractions in flight");
      doomed.child.kill("SIGKILL");
      await doomed.exited;
      expect((await rows("killed")).map((r) => [r.status, r.attempts])).toEqual([["processing", 1], ["processing", 1], ["processing", 1]]);

      const heir = startWorker({ ...env(), ...lease });
      processes.push(heir);
      await heir.ready;
      await waitFor(async () => (await rows("killed")).every((r) => r.status === "processed"), 20_000, "the rows taken over and processed", 250);
      expect((await rows("killed")).map((r) => r.attempts)).toEqual([2, 2, 2]);
      expect(await offersFor("killed")).toEqual({ leads: 3, offers: 3 });
      heir.child.kill("SIGTERM");
      expect(await heir.exited).toBe(0);
    } finally {
      llm.close();
    }
  }, 60_000);

  it("SIGTERM: the worker finishes the rows in flight, then exits 0", async () => {
    const llm = await heldLlm();
    try {
      const worker = startWorker({ ...env(), OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: llm.url });
      processes.push(worker);
      await worker.ready;
      await storeIntakes(2, "term", { viaTranscript: true });
      await waitFor(async () => llm.held() === 2, 15_000, "two extractions in flight");

      worker.child.kill("SIGTERM");
      await sleep(1_000);
      // Still waiting on its extractions, and it has not claimed anything after the signal.
      expect(worker.child.exitCode).toBeNull();
      expect((await rows("term")).map((r) => r.status)).toEqual(["processing", "processing"]);
      await storeIntakes(1, "after-term");

      llm.answerAll(400);
      expect(await worker.exited).toBe(0);
      expect((await rows("term")).map((r) => [r.status, r.attempts])).toEqual([["processed", 1], ["processed", 1]]);
      expect(await offersFor("term")).toEqual({ leads: 2, offers: 2 });
      expect((await rows("after-term")).map((r) => r.status)).toEqual(["received"]);
      expect(worker.output()).toContain("handoff worker stopped: 2 stored webhooks processed");
    } finally {
      llm.close();
    }
  }, 60_000);
});
