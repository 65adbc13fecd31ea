import { eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { timers } from "../../src/db/schema/timers.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { tick as tickLoop } from "../helpers/loop-tick.ts";
import { leadById, messagesOfLead } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";

// Who is on duty, end to end through the API, the timer loop and the outbox (CONTRACT §10),
// with the test clock. The demo business is in Chicago, open Mon–Fri 08:00–17:30.
// 2026-11-24 is a Tuesday: 08:00Z is 02:00 CST, 14:00Z is 08:00 CST.

const PHONE = { dana: "+15125550111", omar: "+15125550112", mia: "+15125550113", sam: "+15125550114" };
const onCallRotation = {
  id: "on-call",
  role: "on_call",
  // Week of Mon 2026-11-23: omar; the week before: dana; after: sam.
  rotation: { every: "1w", handoff: "mon 08:00", members: ["dana", "omar", "sam"], start: "2026-11-16" },
  overrides: [] as { member: string; from: string; to: string }[],
};

describeOnBackends("routing by who is on duty on $name", ({ kind }) => {
  const t = useTestApp(kind);
  beforeEach(async () => {
    await t.deps.db.update(timers).set({ status: "canceled" }).where(eq(timers.status, "pending"));
  });

  const tick = (iso: string) => tickLoop(t, iso);
  const sent = async (id: string) =>
    (await messagesOfLead(t, id)).filter((m) => m.status !== "queued").sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.channel.localeCompare(b.channel));
  const events = async (id: string, type: string) => (await leadById(t, id)).events.filter((e: any) => e.type === type);
  const newBusiness = (schedule = onCallRotation, change: (c: any) => void = () => {}) =>
    t.newBusiness((c) => {
      (c as any).schedules = [structuredClone(schedule)];
      change(c);
    });
  let phones = 0;
  const create = async (business: string, over: Record<string, unknown> = {}) =>
    (await t.call("POST", "/api/leads", completeLead({ business, phone: `+1512555${String(3000 + ++phones)}`, ...over }))).body;

  test("a 2 AM standard lead is offered at 08:00, not before, and escalates at 08:15", async () => {
    const business = await newBusiness();
    t.clock.set("2026-11-24T08:00:00Z"); // Tue 02:00
    const created = await create(business);
    expect(created).toMatchObject({ state: "offered", ownerId: "dana", nextActionDueAt: "2026-11-24T14:15:00.000Z" });
    expect((await events(created.id, "offered"))[0].detail).toMatchObject({ to: "dana", deferredUntil: "2026-11-24T14:00:00.000Z" });

    await tick("2026-11-24T08:01:00Z");
    await tick("2026-11-24T13:59:00Z");
    expect(await sent(created.id)).toEqual([]); // nobody texted at night

    await tick("2026-11-24T14:00:00Z");
    expect((await sent(created.id)).map((m) => [m.to, m.purpose])).toEqual([[PHONE.dana, "offer"]]);

    await tick("2026-11-24T14:14:00Z");
    expect((await leadById(t, created.id)).escalationLevel).toBe(0);
    await tick("2026-11-24T14:15:00Z");
    expect((await leadById(t, created.id)).escalationLevel).toBe(1);
    expect((await sent(created.id)).map((m) => [m.to, m.purpose])).toEqual([
      [PHONE.dana, "offer"],
      [PHONE.omar, "escalation"],
    ]);
  });

  test("a lead on a closed date waits for the next open day", async () => {
    const business = await newBusiness(onCallRotation, (c) => (c.closedDates = ["2026-11-26", "2026-11-27"]));
    t.clock.set("2026-11-26T16:00:00Z"); // Thanksgiving, 10:00
    const created = await create(business);
    // Thursday and Friday closed, the weekend not a business day: Monday 08:00.
    expect((await events(created.id, "offered"))[0].detail).toMatchObject({ deferredUntil: "2026-11-30T14:00:00.000Z" });
    expect(created.nextActionDueAt).toBe("2026-11-30T14:15:00.000Z");
    await tick("2026-11-27T16:00:00Z");
    expect(await sent(created.id)).toEqual([]);
    await tick("2026-11-30T14:00:00Z");
    expect((await sent(created.id)).map((m) => m.purpose)).toEqual(["offer"]);
  });

  test("a 2 AM emergency rings the on-call member of that week at once, and escalates past them, never back", async () => {
    const business = await newBusiness();
    t.clock.set("2026-11-24T08:00:00Z"); // Tue 02:00: omar's week
    const created = await create(business, { urgency: "emergency" });
    expect(created).toMatchObject({ state: "offered", ownerId: "omar" });
    await tick("2026-11-24T08:00:00Z");
    expect((await sent(created.id)).map((m) => [m.to, m.channel])).toEqual([
      [PHONE.omar, "sms"],
      [PHONE.omar, "voice"],
    ]);

    // Urgent window 5 min: the manager rung (demo escalateTo for urgent is manager).
    await tick("2026-11-24T08:05:00Z");
    const [first] = await events(created.id, "escalated");
    expect(first.detail).toMatchObject({ to: "mia", level: 1 });
    // Mia holds manager and on_call is omar's: every repeat goes to mia, none back to omar.
    for (const minute of [10, 15, 20, 25]) await tick(`2026-11-24T08:${minute}:00Z`);
    const targets = (await events(created.id, "escalated")).map((e: any) => e.detail.to);
    expect(targets.length).toBeGreaterThanOrEqual(2);
    expect(targets).not.toContain("omar");
  });

  test("an emergency whose on-call member holds the escalation role too climbs past them to the next person", async () => {
    // The manager is also on call this week: the urgent rung (manager) must skip her, not re-ring her.
    const business = await newBusiness({ ...onCallRotation, rotation: { ...onCallRotation.rotation, members: ["dana", "mia", "sam"] } });
    t.clock.set("2026-11-24T08:00:00Z");
    const created = await create(business, { urgency: "emergency" });
    expect(created.ownerId).toBe("mia");
    await tick("2026-11-24T08:05:00Z");
    const [first] = await events(created.id, "escalated");
    expect(first.detail.to).not.toBe("mia");
    expect(first.detail.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ memberId: "mia", why: "holds the lead" })]));
    expect(first.detail.to).toBe("omar"); // manager (only mia) skipped → … the chain: office_lead
  });

  test("an override moves the shift: the overriding member is rung instead", async () => {
    const business = await newBusiness({
      ...onCallRotation,
      overrides: [{ member: "sam", from: "2026-11-24T00:00:00-06:00", to: "2026-11-25T00:00:00-06:00" }],
    });
    t.clock.set("2026-11-24T08:00:00Z");
    expect((await create(business, { urgency: "emergency" })).ownerId).toBe("sam");
    t.clock.set("2026-11-25T08:00:00Z"); // the override is over: omar again
    expect((await create(business, { urgency: "emergency" })).ownerId).toBe("omar");
  });

  test("a standard lead in hours goes to a working member at once, as before", async () => {
    const business = await newBusiness();
    t.clock.set("2026-11-24T15:00:00Z"); // Tue 09:00
    const created = await create(business);
    expect(created).toMatchObject({ state: "offered", ownerId: "dana", nextActionDueAt: "2026-11-24T15:15:00.000Z" });
    expect((await events(created.id, "offered"))[0].detail.deferredUntil).toBeUndefined();
  });
});
