import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundEvents } from "../../src/db/schema/index.ts";
import { inboxRetryBackoffMs as retryBackoffMs, pendingInbound, recordInbound } from "../../src/core/inbox.ts";
import { makeTestApp, type TestApp } from "../helpers/test-app.ts";

describe("retrying a stored webhook that failed", () => {
  let t: TestApp;
  beforeAll(async () => void (t = await makeTestApp("pglite")));
  afterAll(async () => t.close());

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
});
