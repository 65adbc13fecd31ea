import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, test } from "vitest";
import { claimReceivedInbound } from "../../src/core/inbox.ts";
import { inboundEvents } from "../../src/db/schema/index.ts";
import { sweepInbox } from "../../src/intake/inbox-sweep.ts";
import { AI_PROVIDERS, processClaimedInbound } from "../../src/intake/process-intake.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeIntake } from "../helpers/intake-payload.ts";
import { leadById, leadsOf } from "../helpers/listings.ts";
import { fakeVapi, vapiCall } from "../helpers/provider-apis.ts";
import { quickRetries, reconcileNow, stopReconciling } from "../helpers/reconcile.ts";
import { signedHeaders } from "../helpers/sign-fixture.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

describeOnBackends("a server that leaves intake to workers (INTAKE_IN_WORKERS) on $name", ({ kind }) => {
  const server = useVendorEdge();
  const t = useTestApp(kind);
  let slug: string | undefined;

  beforeEach(() => {
    t.clock.set("2026-11-23T15:00:00Z");
    quickRetries(t);
    t.deps.settings.leaveIntakeToWorkers = true;
  });
  afterEach(async () => {
    t.deps.settings.leaveIntakeToWorkers = false;
    await stopReconciling(t, slug);
    slug = undefined;
  });

  /** What one round of a worker's claim loop does. */
  const workerRound = async () => {
    const rows = await claimReceivedInbound(t.deps.db, AI_PROVIDERS, 8, t.clock.now());
    await Promise.all(rows.map((row) => processClaimedInbound(t.deps, row, t.clock.now())));
    await t.settle();
    return rows.length;
  };
  const statusOf = async (id: string) => (await t.deps.db.select().from(inboundEvents).where(eq(inboundEvents.id, id)))[0]!;

  test("a signed intake is stored and answered, left `received` by the request and the sweep, and becomes a lead in a worker's round", async () => {
    slug = await t.newBusiness();
    const body = completeIntake(7, "left");
    const res = await t.app.request(`/webhooks/${slug}/intake`, { method: "POST", body, headers: await signedHeaders("intake", body, t.clock.now()) });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    await t.settle();
    await sweepInbox(t.deps);
    await t.settle();
    expect(await statusOf(id)).toMatchObject({ status: "received", attempts: 0 });
    expect(await leadsOf(t, slug)).toHaveLength(0);

    expect(await workerRound()).toBe(1);
    expect(await statusOf(id)).toMatchObject({ status: "processed", attempts: 1 });
    expect(await leadsOf(t, slug)).toMatchObject([{ externalId: "left-7", state: "offered" }]);
  });

  test("a call reconciliation pulls is stored for the workers, and the worker's lead says it was recovered", async () => {
    slug = await t.newBusiness((c) => {
      c.reconcile = { vapi: { apiKey: "vapi-left-key" }, every: "5m", lookBack: "2h" };
    });
    const vapi = fakeVapi(server, "vapi-left-key");
    vapi.calls.push(vapiCall("vapi-left-1", new Date(t.clock.now().getTime() - 10 * 60_000), { customer: { number: "+15125550177" } }));
    await reconcileNow(t);
    await sweepInbox(t.deps);
    await t.settle();
    const [row] = await t.deps.db.select().from(inboundEvents).where(eq(inboundEvents.origin, "reconciliation"));
    expect(row).toMatchObject({ status: "received", attempts: 0 });
    expect(await leadsOf(t, slug)).toHaveLength(0);

    expect(await workerRound()).toBe(1);
    const [lead] = await leadsOf(t, slug);
    expect(lead).toMatchObject({ externalId: "vapi-left-1" });
    expect((await leadById(t, lead.id)).events.map((e: { type: string }) => e.type)).toContain("recovered");
  });
});
