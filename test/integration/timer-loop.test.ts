import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { connectPostgres } from "../../src/db/postgres.ts";
import { timers } from "../../src/db/schema/timers.ts";
import { TestClock, systemClock, type Clock } from "../../src/adapters/clock/clock.ts";
import type { Logger } from "../../src/adapters/logger.ts";
import { startTimerLoop, type TimerLoop, type TimerLoopOptions } from "../../src/core/timer-loop.ts";
import type { TimerRow } from "../../src/core/timer-store.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";

const BUSINESS_ID = "00000000-0000-4000-8000-000000000001";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Inserts timers due at the given instants (status and lease overridable) and returns their rows. */
async function insertTimers(db: Db, dueAts: Date[], extra: Partial<typeof timers.$inferInsert> = {}): Promise<TimerRow[]> {
  const rows = dueAts.map((dueAt) => ({
    businessId: BUSINESS_ID,
    kind: "escalate" as const,
    dedupeKey: `test:${crypto.randomUUID()}`,
    dueAt,
    payload: {},
    ...extra,
  }));
  const inserted: TimerRow[] = [];
  // Chunks keep the statement small on both drivers.
  for (let i = 0; i < rows.length; i += 100) inserted.push(...(await db.insert(timers).values(rows.slice(i, i + 100)).returning()));
  return inserted;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function recordingLogger() {
  const errors: { message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = { info() {}, warn() {}, error: (message, fields) => errors.push({ message, fields }) };
  return { logger, errors };
}

/** Loops started by a test, stopped after it even when it fails. */
const started: TimerLoop[] = [];
function loopOn(db: Db, fire: TimerLoopOptions["fire"], options: Partial<TimerLoopOptions> & { clock?: Clock } = {}): TimerLoop {
  const loop = startTimerLoop({ db, clock: systemClock, logger: recordingLogger().logger, fire, ...options });
  started.push(loop);
  return loop;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((loop) => loop.stop()));
});

// These suites need a real PostgreSQL server: SKIP LOCKED only means something with several
// connections, and PGlite has exactly one. Without TEST_DATABASE_URL they are skipped.
describe.skipIf(!TEST_DATABASE_URL)("timer loop on PostgreSQL", () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.handle.db;
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await db.delete(timers);
  });

  it("two loops on separate connection pools fire each of 200 timers exactly once", async () => {
    const second: DbHandle = connectPostgres(database.url, { max: 5 });
    try {
      const now = Date.now();
      // Half overdue, half coming due over the next second, so both loops also wake together.
      const dueAts = Array.from({ length: 200 }, (_, i) => new Date(i < 100 ? now - 1_000 : now + (i - 100) * 10));
      await insertTimers(db, dueAts);

      const firings: { loop: string; id: string }[] = [];
      const fireAs = (loop: string) => async (timer: TimerRow) => {
        await sleep(3); // long enough for the other loop to claim in between
        firings.push({ loop, id: timer.id });
      };
      loopOn(db, fireAs("a"), { maxBatch: 10 });
      loopOn(second.db, fireAs("b"), { maxBatch: 10 });

      await waitFor(() => firings.length >= 200, 20_000, "200 firings");
      await sleep(300); // room for a duplicate to show up
      await Promise.all(started.splice(0).map((loop) => loop.stop()));

      expect(firings).toHaveLength(200);
      expect(new Set(firings.map((f) => f.id)).size).toBe(200);
      expect(firings.some((f) => f.loop === "a")).toBe(true);
      expect(firings.some((f) => f.loop === "b")).toBe(true);
      const rows = await db.select().from(timers);
      expect(rows.every((r) => r.status === "fired" && r.attempts === 1 && r.firedAt !== null && r.lockedUntil === null)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it("two loops in two separate processes fire each of 200 timers exactly once", async () => {
    await insertTimers(db, Array.from({ length: 200 }, () => new Date(Date.now() - 1_000)));

    const script = fileURLToPath(new URL("../helpers/timer-loop-child.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
    const firings: { process: string; id: string }[] = [];
    const ready = new Set<string>();
    const children: { name: string; child: ChildProcessWithoutNullStreams; exited: Promise<number | null> }[] = [];
    for (const name of ["p1", "p2"]) {
      const child = spawn(tsx, [script, database.url, name, "5", "5"], { stdio: "pipe" });
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      createInterface({ input: child.stdout }).on("line", (line) => {
        const [word, who, id] = line.split(" ");
        if (word === "ready") ready.add(name);
        if (word === "fired" && who && id) firings.push({ process: who, id });
      });
      child.stderr.on("data", (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
      children.push({ name, child, exited });
    }
    try {
      await waitFor(() => ready.size === 2, 20_000, "both processes ready");
      for (const { child } of children) child.stdin.write("go\n");
      await waitFor(() => firings.length >= 200, 20_000, "200 firings across processes");
      await sleep(300);
    } finally {
      for (const { child } of children) child.stdin.end();
      await Promise.all(children.map((c) => c.exited));
    }

    expect(firings).toHaveLength(200);
    expect(new Set(firings.map((f) => f.id)).size).toBe(200);
    expect(new Set(firings.map((f) => f.process))).toEqual(new Set(["p1", "p2"]));
    const rows = await db.select().from(timers);
    expect(rows.filter((r) => r.status === "fired")).toHaveLength(200);
  });

  it("a timer that came due while nothing was running fires once when a loop starts", async () => {
    const [missed] = await insertTimers(db, [new Date(Date.now() - 60 * 60_000)]);
    const fired: string[] = [];
    const startedAt = Date.now();
    loopOn(db, async (timer) => void fired.push(timer.id));

    await waitFor(() => fired.length === 1, 5_000, "the missed timer");
    await sleep(200);
    expect(fired).toEqual([missed!.id]);
    const [row] = await db.select().from(timers).where(eq(timers.id, missed!.id));
    expect(row).toMatchObject({ status: "fired", attempts: 1, lockedUntil: null });
    expect(row!.firedAt!.getTime()).toBeGreaterThanOrEqual(startedAt - 5);
  });

  it("a fire that throws is put back with a backoff, logged, and retried until it succeeds", async () => {
    const [timer] = await insertTimers(db, [new Date(Date.now() - 1_000)]);
    const calls: TimerRow[] = [];
    let failedAt = 0;
    const { logger, errors } = recordingLogger();
    loopOn(
      db,
      async (t) => {
        calls.push(t);
        if (calls.length === 1) {
          failedAt = Date.now();
          throw new Error("twilio down");
        }
      },
      { logger, retryBackoffMs: () => 150 },
    );

    await waitFor(() => calls.length === 2, 5_000, "the retry");
    await waitFor(async () => (await db.select().from(timers))[0]?.status === "fired", 2_000, "the retry to be recorded");
    expect(calls[1]!.attempts).toBe(2);
    // Pushed back by the backoff, and the loop slept until then rather than polling.
    expect(calls[1]!.dueAt.getTime()).toBeGreaterThanOrEqual(failedAt + 150 - 5);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fields).toMatchObject({ timerId: timer!.id, attempts: 1, error: "Error: twilio down" });
    const [row] = await db.select().from(timers);
    expect(row).toMatchObject({ status: "fired", attempts: 2 });
  });

  it("a fire that hangs past its lease is given up and retried, so one stuck firing cannot stall the loop", async () => {
    await insertTimers(db, [new Date(Date.now() - 1_000)]);
    let calls = 0;
    const { logger, errors } = recordingLogger();
    loopOn(db, async () => (++calls === 1 ? new Promise<void>(() => {}) : undefined), { logger, leaseMs: 200, retryBackoffMs: () => 50 });

    await waitFor(async () => (await db.select().from(timers))[0]?.status === "fired", 5_000, "the retried firing");
    expect(calls).toBe(2);
    expect(String(errors[0]?.fields?.error)).toMatch(/lease/);
  });

  it("re-claims a timer leased by a process that died mid-fire, but not one whose lease is still running", async () => {
    const now = Date.now();
    const [dead] = await insertTimers(db, [new Date(now - 120_000)], {
      status: "firing",
      attempts: 1,
      lockedUntil: new Date(now - 1_000),
    });
    const [alive] = await insertTimers(db, [new Date(now - 120_000)], {
      status: "firing",
      attempts: 1,
      lockedUntil: new Date(now + 60_000),
    });
    const fired: string[] = [];
    loopOn(db, async (timer) => void fired.push(timer.id));

    await waitFor(() => fired.length === 1, 5_000, "the dead process's timer");
    await sleep(300);
    expect(fired).toEqual([dead!.id]);
    const [deadRow] = await db.select().from(timers).where(eq(timers.id, dead!.id));
    const [aliveRow] = await db.select().from(timers).where(eq(timers.id, alive!.id));
    expect(deadRow).toMatchObject({ status: "fired", attempts: 2 });
    expect(aliveRow).toMatchObject({ status: "firing", attempts: 1 });
  });

  it("notify wakes a sleeping loop early, well before its 60 s cap", async () => {
    const fired: string[] = [];
    loopOn(db, async (timer) => void fired.push(timer.id));
    await sleep(300); // the loop found nothing and went to sleep for its full 60 s cap

    // Inserted without notify (as by another process): the sleeping loop does not see it yet.
    const [quiet] = await insertTimers(db, [new Date(Date.now() + 100)]);
    await sleep(1_000);
    expect(fired).toEqual([]);

    const notifiedAt = Date.now();
    const [loud] = await insertTimers(db, [new Date(notifiedAt + 200)]);
    started[0]!.notify(loud!.dueAt);
    await waitFor(() => fired.length === 2, 5_000, "both timers after notify");
    const wokeAfter = Date.now() - notifiedAt;
    expect(wokeAfter).toBeGreaterThanOrEqual(200);
    expect(wokeAfter).toBeLessThan(1_500);
    expect(fired.sort()).toEqual([quiet!.id, loud!.id].sort());
  });

  it("judges what is due by the injected clock, not the database's now()", async () => {
    const clock = new TestClock(new Date("2031-06-01T12:00:00Z"));
    const [timer] = await insertTimers(db, [new Date("2031-06-01T12:10:00Z")]);
    const fired: string[] = [];
    const loop = loopOn(db, async (t) => void fired.push(t.id), { clock });
    await sleep(100);

    expect(await loop.runDue()).toBe(0); // due in ten minutes by the test clock (years away for the server)
    clock.advance(10 * 60_000);
    expect(await loop.runDue()).toBe(1);
    expect(fired).toEqual([timer!.id]);
    const [row] = await db.select().from(timers);
    expect(row!.firedAt).toEqual(new Date("2031-06-01T12:10:00Z"));
  });
});

describe("timer loop on PGlite (the embedded default)", () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await openPglite();
    await migrate(handle);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("fires overdue and upcoming timers once each, in due order", async () => {
    const now = Date.now();
    const dueAts = Array.from({ length: 30 }, (_, i) => new Date(i < 10 ? now - 5_000 + i : now + (i - 10) * 20));
    const inserted = await insertTimers(handle.db, dueAts);
    const fired: TimerRow[] = [];
    loopOn(handle.db, async (timer) => void fired.push(timer), { maxBatch: 7 });

    await waitFor(() => fired.length >= 30, 10_000, "30 firings");
    await sleep(200);
    expect(fired).toHaveLength(30);
    expect(new Set(fired.map((t) => t.id))).toEqual(new Set(inserted.map((t) => t.id)));
    const firstTen = fired.slice(0, 10).map((t) => t.dueAt.getTime());
    expect(firstTen).toEqual([...firstTen].sort((a, b) => a - b));
    const rows = await handle.db.select().from(timers);
    expect(rows.every((r) => r.status === "fired" && r.attempts === 1)).toBe(true);
  });
});
