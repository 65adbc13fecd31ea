import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inboundEvents } from "../../src/db/schema/index.ts";
import { inboxRetryBackoffMs as retryBackoffMs, pendingInbound, recordInbound } from "../../src/core/inbox.ts";
import { runClaimed } from "../../src/core/inbox-runner.ts";
import { useTestApp } from "../helpers/harness.ts";

describe("retrying a stored webhook that failed", () => {
  const t = useTestApp("pglite");

  it("backs off: 5 s doubling per attempt, capped at 15 minutes", () => {
    expect([1, 2, 3, 4].map(retryBackoffMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryBackoffMs(30)).toBe(15 * 60_000);
  });

  it("a failed event is picked again only once its backoff has passed", async () => {
    const now = t.clock.now();
    const id = (await recordInbound(t.deps.db, {
      businessId: null, provider: "vapi", idempotencyKey: "retry-test", rawBody: "{}", headers: new Headers(), now,
    }))!;
    await t.deps.db.update(inboundEvents).set({ status: "failed", attempts: 3, processedAt: now }).where(eq(inboundEvents.id, id));
    const ids = async (at: number) => (await pendingInbound(t.deps.db, new Date(now.getTime() + at), ["vapi"])).map((r) => r.id);
    expect(await ids(19_000)).not.toContain(id);
    expect(await ids(20_000)).toContain(id);
  });

  it("the one inbox runner claims, runs once, and records how the work ended or why it failed", async () => {
    const store = async (key: string) =>
      (await recordInbound(t.deps.db, { businessId: null, provider: "vapi", idempotencyKey: key, rawBody: "{}", headers: new Headers(), now: t.clock.now() }))!;
    const rowOf = async (id: string) => (await t.deps.db.select().from(inboundEvents).where(eq(inboundEvents.id, id)))[0]!;

    const ok = await store("runner-ok");
    let runs = 0;
    await runClaimed(t.deps, ok, async () => (runs++, { status: "superseded" }));
    await runClaimed(t.deps, ok, async () => (runs++, { status: "processed" }));
    expect(runs).toBe(1);
    expect(await rowOf(ok)).toMatchObject({ status: "superseded", attempts: 1, lastError: null });

    const bad = await store("runner-bad");
    await expect(runClaimed(t.deps, bad, async () => Promise.reject(new Error("extractor down")))).rejects.toThrow("extractor down");
    expect(await rowOf(bad)).toMatchObject({ status: "failed", attempts: 1, lastError: "extractor down" });
  });
});
