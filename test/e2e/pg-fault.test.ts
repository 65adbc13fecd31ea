import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";
import { backendKiller, databaseName, distinctIntake, postIntake, sleep, type Answer } from "../helpers/pg-fault.ts";

/**
 * The real gateway on real PostgreSQL while its backends are terminated under a webhook burst
 * (CONTRACT §4: the payload is stored before the 2xx; a 5xx makes the sender retry).
 */

const ROUNDS = 5;
const PER_ROUND = 15;
/** When, after a round's webhooks are sent, the test ends every backend of the gateway (ms). */
const TERMINATE_AT = [0, 25, 75, 150, 300];

const TOKEN = "fault-test-token";

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL ends the gateway's connections under a webhook burst", () => {
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let killer: ReturnType<typeof backendKiller>;
  let base: string;
  let next = 0;
  const sent: { externalId: string; phone: string }[] = [];
  const alive = () => gateway.child.exitCode === null && gateway.child.signalCode === null;

  beforeAll(async () => {
    db = await createTestDatabase({ max: 1 });
    await db.handle.close(); // the gateway migrates and loads the demo itself; this test reads with its own pool
    killer = backendKiller(databaseName(db.url));
    gateway = startGateway({ DATABASE_URL: db.url, ADMIN_TOKEN: TOKEN });
    base = await gateway.ready;
  });
  afterAll(async () => {
    if (gateway?.child.exitCode === null) gateway.child.kill("SIGKILL");
    await killer?.close();
    await db?.drop();
  });

  /**
   * Sends one new webhook as a provider would: again after a 5xx, until it is acknowledged.
   * Resolves with what went wrong (nothing answered, an answer other than 200 or 503, a 503
   * without the error shape), or null once it is acknowledged.
   */
  async function deliver(firstAnswers: Answer[]): Promise<string | null> {
    const intake = distinctIntake(next++);
    sent.push(intake);
    let answer = await postIntake(base, intake.body);
    firstAnswers.push(answer);
    for (let tries = 0; answer.status !== 200; tries++) {
      if (answer.status !== 503 || tries === 100) return `${intake.externalId}: ${JSON.stringify(answer)}`;
      const error = JSON.parse(answer.body).error;
      if (error?.code !== "unavailable" || typeof error.message !== "string") return `${intake.externalId}: 503 ${answer.body}`;
      await sleep(200);
      answer = await postIntake(base, intake.body);
    }
    return null;
  }

  it("lives, and every acknowledged webhook becomes exactly one lead and one offer text", async () => {
    const firstAnswers: Answer[] = [];
    let terminated = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const deliveries = Array.from({ length: PER_ROUND }, () => deliver(firstAnswers));
      let waited = 0;
      for (const at of TERMINATE_AT) {
        await sleep(at - waited);
        waited = at;
        terminated += await killer.terminateAll();
      }
      const failures = (await Promise.all(deliveries)).filter((f) => f !== null);
      expect(failures, `round ${round + 1}:\n${gateway.output().slice(-3000)}`).toEqual([]);
      expect(alive(), `the gateway died in round ${round + 1}:\n${gateway.output().slice(-3000)}`).toBe(true);
    }

    // The terminations have stopped: the same process serves again, without a restart.
    const stopped = performance.now();
    let health: Answer = { status: "refused", error: "not asked yet" };
    for (let i = 0; i < 75 && health.status !== 200; i++) {
      if (i) await sleep(200);
      health = await fetch(`${base}/healthz`).then(async (r) => ({ status: r.status, body: await r.text() }), (e) => ({ status: "refused" as const, error: String(e) }));
    }
    expect(health).toMatchObject({ status: 200 });
    expect(JSON.parse((health as { body: string }).body)).toEqual({ ok: true, db: "up" });
    const probe = distinctIntake(next++);
    sent.push(probe);
    expect((await postIntake(base, probe.body)).status).toBe(200);
    const serveAgainMs = Math.round(performance.now() - stopped);

    // Every acknowledged webhook lands once, however often its processing was cut off.
    const reader = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      let leads: { phone: string; id: string }[] = [];
      let offers: { lead_id: string; n: number }[] = [];
      const settle = performance.now();
      for (let i = 0; i < 150; i++) {
        leads = await reader`SELECT id, phone FROM leads`;
        offers = await reader`SELECT lead_id, count(*)::int AS n FROM outbound_messages WHERE purpose = 'offer' GROUP BY lead_id`;
        if (leads.length >= sent.length && offers.length >= sent.length) break;
        await sleep(1000);
      }
      const settledMs = Math.round(performance.now() - settle);
      expect(leads.map((l) => l.phone).sort()).toEqual(sent.map((s) => s.phone).sort());
      expect(offers.map((o) => o.lead_id).sort()).toEqual(leads.map((l) => l.id).sort());
      expect(offers.every((o) => o.n === 1)).toBe(true);
      expect(alive()).toBe(true);

      const fiveXx = firstAnswers.filter((a) => a.status !== 200).length;
      console.log(
        `pg-fault: ${ROUNDS} rounds, ${terminated} backends terminated, ${sent.length} webhooks sent, ` +
          `${firstAnswers.length - fiveXx} acknowledged at once, ${fiveXx} answered 503 then retried; ` +
          `serves again ${serveAgainMs} ms after the last termination; all leads and offers in ${settledMs} ms more`,
      );
    } finally {
      await reader.end({ timeout: 5 });
    }
  }, 240_000);
});
