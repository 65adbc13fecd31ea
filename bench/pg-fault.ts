/**
 * How the real gateway rides out PostgreSQL ending its connections under a webhook burst: the
 * scenario of test/e2e/pg-fault.test.ts, run several times, with its figures printed (whether
 * the process lived, backends ended, webhooks sent / acknowledged at once / answered 503 and
 * retried, time to serve again after the last termination, time until every lead and offer landed).
 *
 *   npx tsx bench/pg-fault.ts
 *   BENCH_DATABASE_URL=postgres://me@127.0.0.1:5432/postgres BENCH_TRIALS=5 npx tsx bench/pg-fault.ts
 *
 * Needs a role that may CREATE DATABASE and pg_terminate_backend; it ends backends of its own
 * `handoff_t_bench_…` databases only. Reads process.env itself: a bench entry, not the gateway.
 * Prints figures; the exit code only says whether the run itself worked.
 */
import postgres from "postgres";
import { burst, untilLanded, untilServing, type BurstPlan } from "../test/helpers/fault-scenario.ts";
import { startGateway } from "../test/helpers/gateway-process.ts";
import { backendKiller } from "../test/helpers/pg-fault.ts";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TRIALS = Number(process.env.BENCH_TRIALS ?? 3);
const ROUNDS = 5;
const PLAN: BurstPlan = { webhooks: 15, terminateAt: [0, 25, 75, 150, 300] };

async function trial(n: number) {
  const name = `handoff_t_bench_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const gateway = startGateway({ DATABASE_URL: url.toString(), ADMIN_TOKEN: "bench-token" });
  const killer = backendKiller(name, ADMIN_URL);
  try {
    const base = await gateway.ready;
    let sent = 0;
    let terminated = 0;
    let first503 = 0;
    let refused = 0;
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS && gateway.child.exitCode === null; round++) {
      const result = await burst(base, killer, PLAN, sent);
      sent += result.sent.length;
      terminated += result.terminated;
      first503 += result.firstAnswers.filter((a) => a.status === 503).length;
      refused += result.firstAnswers.filter((a) => a.status === "refused").length;
      failures.push(...result.failures);
    }
    const lived = gateway.child.exitCode === null && gateway.child.signalCode === null;
    const serving = lived ? await untilServing(base, sent) : null;
    if (serving) sent++;
    const landed = lived ? await untilLanded(url.toString(), sent) : null;
    return {
      trial: n,
      lived,
      terminated,
      sent,
      acknowledgedAtOnce: sent - (serving ? 1 : 0) - first503 - refused,
      first503,
      refused,
      failures: failures.length,
      serveAgainMs: serving?.ms ?? null,
      leads: landed?.leads.length ?? null,
      leadsWithOneOffer: landed?.offers.filter((o) => o.n === 1).length ?? null,
      landedMs: landed?.ms ?? null,
      offerStatuses: landed ? JSON.stringify(landed.offerStatuses) : null,
    };
  } finally {
    if (gateway.child.exitCode === null) gateway.child.kill("SIGKILL");
    await gateway.exited;
    await killer.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  }
}

const rows = [];
for (let n = 1; n <= TRIALS; n++) {
  rows.push(await trial(n));
  console.log(JSON.stringify(rows.at(-1)));
}
console.log(`\n${ROUNDS} rounds of ${PLAN.webhooks} webhooks a trial, every backend ended at ${PLAN.terminateAt.join(", ")} ms of each round`);
console.table(rows);
