import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { burst, untilLanded, untilServing, type BurstPlan } from "../helpers/fault-scenario.ts";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";
import { backendKiller, databaseName } from "../helpers/pg-fault.ts";

/**
 * The real gateway on real PostgreSQL while its backends are terminated under a webhook burst
 * (CONTRACT §4: the payload is stored before the 2xx; a 5xx makes the sender retry).
 * bench/pg-fault.ts runs the same scenario several times and prints its figures.
 */

const ROUNDS = 5;
/** Each round: 15 webhooks at once, and every backend of the gateway ended 5 times meanwhile. */
const PLAN: BurstPlan = { webhooks: 15, terminateAt: [0, 25, 75, 150, 300] };

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL ends the gateway's connections under a webhook burst", () => {
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let killer: ReturnType<typeof backendKiller>;
  let base: string;
  const alive = () => gateway.child.exitCode === null && gateway.child.signalCode === null;
  const tail = () => gateway.output().slice(-3000);

  beforeAll(async () => {
    db = await createTestDatabase({ max: 1 });
    await db.handle.close(); // the gateway migrates and loads the demo itself
    killer = backendKiller(databaseName(db.url));
    gateway = startGateway({ DATABASE_URL: db.url, ADMIN_TOKEN: "fault-test-token" });
    base = await gateway.ready;
  });
  afterAll(async () => {
    if (gateway?.child.exitCode === null) gateway.child.kill("SIGKILL");
    await killer?.close();
    await db?.drop();
  });

  it("lives, and every acknowledged webhook becomes exactly one lead and one offer text", async () => {
    const sent: { phone: string }[] = [];
    let terminated = 0;
    let retried = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const result = await burst(base, killer, PLAN, sent.length);
      sent.push(...result.sent);
      terminated += result.terminated;
      retried += result.firstAnswers.filter((a) => a.status !== 200).length;
      // Every webhook was answered 200, or 503 with the error shape and then 200 on a retry.
      expect(result.failures, `round ${round + 1}:\n${tail()}`).toEqual([]);
      expect(alive(), `the gateway died in round ${round + 1}:\n${tail()}`).toBe(true);
    }
    expect(terminated).toBeGreaterThan(ROUNDS);

    // The terminations have stopped: the same process serves again, without a restart.
    const serving = await untilServing(base, sent.length);
    expect(serving, tail()).not.toBeNull();
    sent.push(serving!.sent);

    // Every acknowledged webhook lands once, however often its processing was cut off.
    const landed = await untilLanded(db.url, sent.length);
    expect(landed.leads.map((l) => l.phone).sort()).toEqual(sent.map((s) => s.phone).sort());
    expect(landed.offers.map((o) => o.lead_id).sort()).toEqual(landed.leads.map((l) => l.id).sort());
    expect(landed.offers.filter((o) => o.n !== 1)).toEqual([]);
    expect(alive()).toBe(true);
    // Not asserted here: that each offer row is also sent. One whose send was cut off can stay
    // `sending` until the outbox leases sends (issue 8, defect 4); the statuses are printed.
    console.log(
      `pg-fault: ${ROUNDS} rounds, ${terminated} backends ended, ${sent.length} webhooks, ${retried} first answered 503 ` +
        `(then retried); serving again ${serving!.ms} ms after the last termination; ` +
        `all leads and offers ${landed.ms} ms later; offers by status ${JSON.stringify(landed.offerStatuses)}`,
    );
  }, 240_000);
});
