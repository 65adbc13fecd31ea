import { and, eq, sql } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { timers } from "../../src/db/schema/timers.ts";
import { silentLogger } from "../../src/adapters/logger.ts";
import { runDueOnce, type TimerRow } from "../../src/core/timer-store.ts";
import { fireTimer } from "../../src/escalation/fire-timer.ts";
import type { TimerKind } from "../../src/domain/timers/index.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadById, messagesOfLead } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";

const MIN = 60_000;
const PHONE = { dana: "+15125550111", omar: "+15125550112", mia: "+15125550113", sam: "+15125550114", ivy: "+15125550115" };

describeOnBackends("escalation on $name", ({ kind }) => {
  let business: string;
  const t = useTestApp(kind);
  beforeEach(async () => {
    business = await t.newBusiness();
    t.clock.set("2026-11-23T15:00:00Z"); // Monday 09:00 in Chicago
    // Suites share a database: earlier tests' wake-ups must not fire in this one.
    await t.deps.db.update(timers).set({ status: "canceled" }).where(eq(timers.status, "pending"));
  });

  /** What the loop does on each wake-up: claim everything due by the test clock and fire it. */
  async function runDue(): Promise<number> {
    const n = await runDueOnce({ db: t.deps.db, clock: t.clock, logger: silentLogger, fire: async (timer) => void (await fireTimer(t.deps, timer)) });
    await t.settle();
    return n;
  }
  const at = async (minutes: number) => {
    t.clock.set(new Date(Date.parse("2026-11-23T15:00:00Z") + minutes * MIN));
    return runDue();
  };
  const lead = (id: string) => leadById(t, id);
  /** Oldest first; one rung's SMS before its call (they share a timestamp). */
  const messages = async (id: string) =>
    (await messagesOfLead(t, id)).sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.channel.localeCompare(b.channel),
    );
  const escalations = async (id: string) => (await messages(id)).filter((m) => m.purpose === "escalation");
  const events = async (id: string, type: string) => (await lead(id)).events.filter((e: any) => e.type === type);
  const create = async (over: Record<string, unknown> = {}) => (await t.call("POST", "/api/leads", completeLead({ business, ...over }))).body;
  const timersOf = (leadId: string) => t.deps.db.select().from(timers).where(eq(timers.leadId, leadId));

  test("an unaccepted standard lead goes to the office lead at 15 min, then the manager, then three repeats, then stops", async () => {
    const { id } = await create();
    expect(await lead(id)).toMatchObject({ state: "offered", ownerId: "dana", escalationLevel: 0 });

    await at(14.9);
    expect((await lead(id)).escalationLevel).toBe(0);

    await at(15);
    const first = await lead(id);
    expect(first).toMatchObject({ state: "offered", ownerId: "dana", escalationLevel: 1, offeredTo: ["dana", "omar"] });
    expect(first.nextActionDueAt).toBe("2026-11-23T15:30:00.000Z");
    const [toOmar] = await escalations(id);
    expect(toOmar).toMatchObject({ to: PHONE.omar, channel: "sms", memberId: "omar" });
    expect(toOmar.body).toMatch(/^ESCALATED lead 1001 STANDARD: Jane Doe/);
    expect(toOmar.body).toContain("Reply ACCEPT 1001");
    expect((await events(id, "escalated"))[0].detail).toMatchObject({ level: 1, from: "dana", to: "omar", channels: ["sms"], role: "office_lead" });

    await at(29);
    expect((await lead(id)).escalationLevel).toBe(1);
    await at(30);
    expect(await lead(id)).toMatchObject({ escalationLevel: 2, offeredTo: ["dana", "omar", "mia"] });
    await at(40);
    await at(50);
    await at(60);
    expect((await lead(id)).escalationLevel).toBe(5);
    await at(24 * 60);
    expect((await lead(id)).escalationLevel).toBe(5);

    const sent = await escalations(id);
    expect(sent.map((m) => m.to)).toEqual([PHONE.omar, PHONE.mia, PHONE.mia, PHONE.mia, PHONE.mia]);
    expect((await events(id, "escalated")).map((e: any) => [e.detail.level, e.detail.to, e.detail.role])).toEqual([
      [1, "omar", "office_lead"],
      [2, "mia", "manager"],
      [3, "mia", "manager"],
      [4, "mia", "manager"],
      [5, "mia", "manager"],
    ]);
    const [stopped] = await events(id, "escalation_stopped");
    expect(stopped.detail.level).toBe(5);
    expect((await timersOf(id)).filter((r) => r.status === "pending")).toEqual([]);
    // Still offered to everyone it climbed through: any of them may still take it.
    expect(await lead(id)).toMatchObject({ state: "offered", offeredTo: ["dana", "omar", "mia"] });
  });

  test("an urgent lead not accepted in 5 minutes goes to the manager by SMS and a keypad call", async () => {
    const { id } = await create({ urgency: "emergency", summaryNotes: "Water pouring through the ceiling" });
    expect((await lead(id)).ownerId).toBe("dana");
    await at(4.9);
    expect(await escalations(id)).toEqual([]);
    await at(5);
    expect(await lead(id)).toMatchObject({ escalationLevel: 1, offeredTo: ["dana", "mia"] });
    const sent = await escalations(id);
    expect(sent.map((m) => [m.to, m.channel, m.memberId])).toEqual([
      [PHONE.mia, "sms", "mia"],
      [PHONE.mia, "voice", "mia"],
    ]);
    expect(sent[0].body).toMatch(/^ESCALATED lead 1001 EMERGENCY/);
    expect(sent[1].body).toMatch(/^Escalated lead 1 0 0 1\. Dana Ruiz has not accepted it\./);
    expect(sent[1].body).not.toContain("Reply ACCEPT");
    expect((await events(id, "escalated"))[0].detail).toMatchObject({ level: 1, to: "mia", channels: ["sms", "voice"], role: "manager" });
    // The manager was the first rung, so the next ones are the repeats, ten minutes apart.
    expect((await lead(id)).nextActionDueAt).toBe("2026-11-23T15:15:00.000Z");
  });

  test("an estimate with no movement in 60 minutes goes to the sales owner", async () => {
    // Estimates handled by dispatch here, so the climb has a sales owner to reach.
    business = await t.newBusiness((c) => {
      c.routing = [{ to: { role: "dispatch" } }];
    });
    const { id } = await create({ leadType: "estimate", followUpDate: "2026-11-30" });
    expect(await lead(id)).toMatchObject({ state: "offered", ownerId: "dana" });
    await at(59);
    expect(await escalations(id)).toEqual([]);
    await at(60);
    expect(await lead(id)).toMatchObject({ escalationLevel: 1, offeredTo: ["dana", "sam"] });
    expect((await escalations(id))[0]).toMatchObject({ to: PHONE.sam, channel: "sms" });
    expect((await events(id, "escalated"))[0].detail).toMatchObject({ role: "sales", to: "sam", class: "estimate" });
  });

  test("an estimate that moved restarts its hour from the movement instead of escalating", async () => {
    business = await t.newBusiness((c) => {
      c.routing = [{ to: { role: "dispatch" } }];
    });
    const { id } = await create({ leadType: "estimate", followUpDate: "2026-11-30" });
    t.clock.set("2026-11-23T15:30:00Z");
    await t.call("PATCH", `/api/leads/${id}`, { summaryNotes: "Customer sent photos of the basement" });
    await at(60);
    expect((await lead(id)).escalationLevel).toBe(0);
    expect(await escalations(id)).toEqual([]);
    expect((await events(id, "escalation_deferred"))[0].detail).toMatchObject({ level: 0, until: "2026-11-23T16:30:00.000Z" });
    expect((await lead(id)).nextActionDueAt).toBe("2026-11-23T16:30:00.000Z");
    await at(89);
    expect(await escalations(id)).toEqual([]);
    await at(90);
    expect((await escalations(id)).map((m) => m.to)).toEqual([PHONE.sam]);
  });

  test("an escalation never goes back to the owner while someone else can take it", async () => {
    // Demo routing sends estimates to sales: Sam owns it, so the sales rung climbs the chain of
    // CONTRACT §10 (escalateTo → office_lead → manager → on_call), skipping him, to the office lead.
    const { id } = await create({ leadType: "estimate", followUpDate: "2026-11-30" });
    expect((await lead(id)).ownerId).toBe("sam");
    await at(60);
    expect((await events(id, "escalated"))[0].detail).toMatchObject({
      to: "omar",
      role: "sales",
      via: "fallback:office_lead",
      skipped: [{ memberId: "sam", role: "sales", why: "holds the lead" }],
    });
  });

  test("an incomplete lead still with intake after completeWithin goes to the office lead, then the manager", async () => {
    const { id } = await t.call("POST", "/api/leads", { business, phone: "+15125550177", urgency: "standard" }).then((r) => r.body);
    expect((await lead(id)).state).toBe("intake");
    await at(14);
    expect(await escalations(id)).toEqual([]);
    await at(15);
    const [toOmar] = await escalations(id);
    expect(toOmar).toMatchObject({ to: PHONE.omar, channel: "sms" });
    expect(toOmar.body).toContain("lead 1001 (+15125550177, standard) is still incomplete with intake, missing: name, address, service type, source, notes, next step");
    expect((await events(id, "escalated"))[0].detail).toMatchObject({ kind: "incomplete", level: 1, to: "omar", role: "office_lead" });
    await at(30);
    expect((await escalations(id)).map((m) => m.to)).toEqual([PHONE.omar, PHONE.mia]);

    // Completed now: it is offered, and the intake ladder's next wake-up finds it gone from intake.
    await t.call("PATCH", `/api/leads/${id}`, completeLead({ business: undefined, phone: undefined }));
    expect((await lead(id)).state).toBe("offered");
    await at(40);
    expect((await escalations(id)).map((m) => m.to)).toEqual([PHONE.omar, PHONE.mia]);
  });

  test("an emergency sent back to intake escalates on the urgent window, by SMS and a plain call", async () => {
    const { id } = await create({ urgency: "emergency" });
    t.clock.set("2026-11-23T15:01:00Z");
    await t.call("POST", `/api/leads/${id}/reject`, { memberId: "dana", reason: "wrong address, customer moved" });
    expect((await lead(id)).state).toBe("intake");
    await at(5.9);
    expect(await escalations(id)).toEqual([]);
    await at(6);
    const sent = await escalations(id);
    expect(sent.map((m) => [m.to, m.channel])).toEqual([
      [PHONE.mia, "sms"],
      [PHONE.mia, "voice"],
    ]);
    expect(sent[0].body).toContain("was sent back by dana: wrong address, customer moved");
    // Nothing to accept on a lead with intake: the call carries no member, so no keypad prompt.
    expect(sent[1].memberId).toBeNull();
  });

  test("after ACCEPT the wake-up is canceled, and a late delivery of it does nothing", async () => {
    const { id } = await create();
    await t.call("POST", `/api/leads/${id}/accept`, { memberId: "dana" });
    const [timer] = await timersOf(id);
    expect(timer).toMatchObject({ kind: "escalate", status: "canceled" });
    await at(15);
    expect(await fireTimer(t.deps, timer!)).toMatchObject({ acted: false, reason: "lead is accepted" });
    await t.settle();
    expect(await escalations(id)).toEqual([]);
    expect(await lead(id)).toMatchObject({ state: "accepted", escalationLevel: 0 });
  });

  test("a duplicate or late firing of the same wake-up escalates once", async () => {
    const { id } = await create();
    const [timer] = await timersOf(id);
    t.clock.set("2026-11-23T15:15:00Z");
    expect(await fireTimer(t.deps, timer!)).toMatchObject({ acted: true, level: 1 });
    t.clock.set("2026-11-23T15:20:00Z");
    expect(await fireTimer(t.deps, timer!)).toMatchObject({ acted: false, reason: "already escalated to level 1" });
    await t.settle();
    expect((await escalations(id)).map((m) => m.to)).toEqual([PHONE.omar]);
    expect(await events(id, "escalated")).toHaveLength(1);
    // The next rung's wake-up was set once, too.
    expect((await timersOf(id)).filter((r) => r.payload.level === 1)).toHaveLength(1);
  });

  test("a wake-up from before a reassignment does nothing to the new offer", async () => {
    const { id } = await create();
    const [old] = await timersOf(id);
    t.clock.set("2026-11-23T15:05:00Z");
    await t.call("POST", `/api/leads/${id}/reassign`, { memberId: "sam", reason: "Dana is off sick" });
    t.clock.set("2026-11-23T15:15:00Z");
    expect(await fireTimer(t.deps, old!)).toMatchObject({ acted: false, reason: "re-offered since the timer was set" });
    await t.settle();
    expect(await escalations(id)).toEqual([]);
  });

  test("the escalation target accepts through the API, and the first owner is told who took it", async () => {
    const { id } = await create();
    await at(15);
    const accepted = await t.call("POST", `/api/leads/${id}/accept`, { memberId: "omar" });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: "accepted", ownerId: "omar" });
    await t.settle();
    const taken = (await messages(id)).filter((m) => m.purpose === "taken");
    expect(taken).toMatchObject([{ to: PHONE.dana, body: "Lead 1001 was accepted by Omar Lee. Nothing to do." }]);
    // First ACCEPT wins: the owner's late ACCEPT is refused, and the climb is over.
    const late = await t.call("POST", `/api/leads/${id}/accept`, { memberId: "dana" });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain("already accepted by Omar Lee");
    await at(30);
    expect((await escalations(id)).map((m) => m.to)).toEqual([PHONE.omar]);
    expect(
      await t.deps.db.select().from(timers).where(and(eq(timers.leadId, id), eq(timers.status, "pending"))),
    ).toEqual([]);
  });

  test("a timer of a kind nobody knows is recorded as fired, not retried forever", async () => {
    const [row] = await t.deps.db
      .insert(timers)
      // As a row another build wrote: a kind this one does not know.
      .values({ businessId: "00000000-0000-4000-8000-000000000001", kind: "mystery" as TimerKind, dedupeKey: `mystery:${crypto.randomUUID()}`, dueAt: t.clock.now(), payload: {} })
      .returning();
    expect(await runDue()).toBe(1);
    const [after] = await t.deps.db.select().from(timers).where(eq(timers.id, row!.id));
    expect((after as TimerRow).status).toBe("fired");
  });

  test("a timer whose payload does not fit its kind is refused and recorded as fired, not retried forever", async () => {
    const [row] = await t.deps.db
      .insert(timers)
      .values({
        businessId: "00000000-0000-4000-8000-000000000001",
        leadId: crypto.randomUUID(),
        kind: "escalate",
        dedupeKey: `bad-payload:${crypto.randomUUID()}`,
        dueAt: t.clock.now(),
        payload: sql`'"not an object"'::jsonb`,
      })
      .returning();
    expect(await runDue()).toBe(1);
    const [after] = await t.deps.db.select().from(timers).where(eq(timers.id, row!.id));
    expect(after).toMatchObject({ status: "fired", attempts: 1 });
  });
});
