import postgres from "postgres";
import { distinctIntake, postIntake, sleep, type Answer, type backendKiller } from "./pg-fault.ts";

/**
 * The steps of the PostgreSQL fault scenario, shared by test/e2e/pg-fault.test.ts (which asserts)
 * and bench/pg-fault.ts (which prints figures): a burst of webhooks while every backend is ended
 * again and again, senders retrying on 503 as providers do, then how soon the gateway serves and
 * whether everything acknowledged landed.
 */

/** One burst: how many webhooks, and when after sending them every backend is ended (ms). */
export interface BurstPlan {
  webhooks: number;
  terminateAt: number[];
}

/** What one burst did: first answers, backends ended, and what went wrong delivering. */
export interface BurstResult {
  sent: { externalId: string; phone: string }[];
  firstAnswers: Answer[];
  terminated: number;
  /** Deliveries that got something other than 200 or a well-formed 503, or never got a 200. */
  failures: string[];
}

/**
 * Sends one webhook as a provider would, again after each 503 (every 200 ms, up to 100 times).
 * Resolves with what went wrong, or null once it is acknowledged.
 */
async function deliver(base: string, body: string, firstAnswers: Answer[]): Promise<string | null> {
  let answer = await postIntake(base, body);
  firstAnswers.push(answer);
  for (let tries = 0; answer.status !== 200; tries++) {
    if (answer.status !== 503 || tries === 100) return JSON.stringify(answer);
    const error = JSON.parse(answer.body).error;
    if (error?.code !== "unavailable" || typeof error.message !== "string") return `503 without the error shape: ${answer.body}`;
    await sleep(200);
    answer = await postIntake(base, body);
  }
  return null;
}

/** Sends `plan.webhooks` distinct webhooks (numbered from `firstNumber`) while ending every backend on schedule. */
export async function burst(base: string, killer: ReturnType<typeof backendKiller>, plan: BurstPlan, firstNumber: number): Promise<BurstResult> {
  const result: BurstResult = { sent: [], firstAnswers: [], terminated: 0, failures: [] };
  const deliveries = Array.from({ length: plan.webhooks }, (_, i) => {
    const intake = distinctIntake(firstNumber + i);
    result.sent.push(intake);
    return deliver(base, intake.body, result.firstAnswers).then((failure) => failure && result.failures.push(`${intake.externalId}: ${failure}`));
  });
  let waited = 0;
  for (const at of plan.terminateAt) {
    await sleep(at - waited);
    waited = at;
    result.terminated += await killer.terminateAll();
  }
  await Promise.all(deliveries);
  return result;
}

/**
 * After the terminations: how long until `/healthz` says `{ ok: true, db: "up" }` and a new webhook
 * is acknowledged (ms), or null if not within `limitMs`. The webhook is numbered `number`.
 */
export async function untilServing(base: string, number: number, limitMs = 15_000): Promise<{ ms: number; sent: { externalId: string; phone: string } } | null> {
  const start = performance.now();
  const intake = distinctIntake(number);
  while (performance.now() - start < limitMs) {
    const health = await fetch(`${base}/healthz`).then(async (r) => (r.status === 200 ? ((await r.json()) as { ok?: unknown; db?: unknown }) : null), () => null);
    if (health?.ok === true && health.db === "up" && (await postIntake(base, intake.body)).status === 200) {
      return { ms: Math.round(performance.now() - start), sent: intake };
    }
    await sleep(100);
  }
  return null;
}

/** The leads and offer texts in the database at `url`, read once a second until there are `expected` of each or `limitMs` passed. */
export async function untilLanded(url: string, expected: number, limitMs = 150_000) {
  const reader = postgres(url, { max: 1, onnotice: () => {} });
  const start = performance.now();
  try {
    for (;;) {
      const leads = await reader<{ id: string; phone: string }[]>`SELECT id, phone FROM leads`;
      const offers = await reader<{ lead_id: string; n: number }[]>`
        SELECT lead_id, count(*)::int AS n FROM outbound_messages WHERE purpose = 'offer' GROUP BY lead_id`;
      const elapsed = performance.now() - start;
      if ((leads.length >= expected && offers.length >= expected) || elapsed > limitMs) {
        const statuses = await reader<{ status: string; n: number }[]>`
          SELECT status, count(*)::int AS n FROM outbound_messages WHERE purpose = 'offer' GROUP BY status ORDER BY status`;
        return { leads, offers, offerStatuses: Object.fromEntries(statuses.map((s) => [s.status, s.n])), ms: Math.round(elapsed) };
      }
      await sleep(1000);
    }
  } finally {
    await reader.end({ timeout: 5 });
  }
}
