import { and, eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { businesses } from "../../src/db/schema/businesses.ts";
import { timers } from "../../src/db/schema/timers.ts";
import { scheduleEndOfDayReviews } from "../../src/escalation/end-of-day-digest.ts";
import { fireTimer } from "../../src/escalation/fire-timer.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";

// Acme is in Chicago, open Mon–Fri 08:00–17:30; the review goes out 30 minutes before close.
// Mon 23 Nov 2026 is in CST (UTC−6): 09:00 = 15:00Z, the review at 17:00 = 23:00Z.
describeOnBackends("end-of-day review on $name", ({ kind }) => {
  let business: string;
  let businessId: string;
  const t = useTestApp(kind);
  beforeEach(async () => {
    business = await t.newBusiness();
    businessId = (await t.deps.db.select().from(businesses).where(eq(businesses.slug, business)))[0]!.id;
    t.clock.set("2026-11-23T15:00:00Z");
  });

  const reviewTimers = () =>
    t.deps.db.select().from(timers).where(and(eq(timers.businessId, businessId), eq(timers.kind, "end-of-day"))).orderBy(timers.dueAt);
  const digests = async () =>
    ((await t.call("GET", `/api/messages?business=${business}`)).body.messages as any[]).filter((m) => m.purpose === "digest");
  const create = async (over: Record<string, unknown> = {}) => (await t.call("POST", "/api/leads", completeLead({ business, ...over }))).body;
  /** Fires this business's pending review the way the loop would, at the test clock's now. */
  async function fireReview() {
    const [timer] = (await reviewTimers()).filter((r) => r.status === "pending");
    const outcome = await fireTimer(t.deps, timer!);
    await t.deps.db.update(timers).set({ status: "fired" }).where(eq(timers.id, timer!.id));
    await t.settle();
    return { timer: timer!, outcome };
  }

  /** A day of leads: some with a next action recorded, some without. Returns their codes by role. */
  async function aDayOfLeads() {
    // Friday: accepted, then nothing since. Its due time long passed: it needs review on Monday.
    t.clock.set("2026-11-20T16:00:00Z");
    const stale = await create({ phone: "+15125550301", fullName: "Stale Friday" });
    await t.call("POST", `/api/leads/${stale.id}/accept`, { memberId: "dana" });

    t.clock.set("2026-11-23T15:00:00Z");
    const unaccepted = await create({ phone: "+15125550302", fullName: "Never Accepted" });
    const acceptedToday = await create({ phone: "+15125550303", fullName: "Accepted Today" });
    await t.call("POST", `/api/leads/${acceptedToday.id}/accept`, { memberId: "dana" });
    const incomplete = (await t.call("POST", "/api/leads", { business, phone: "+15125550304", urgency: "emergency" })).body;
    await t.call("POST", `/api/leads/${incomplete.id}/reject`, { memberId: "dana", reason: "no address given" });
    const closed = await create({ phone: "+15125550305", fullName: "Closed One" });
    await t.call("POST", `/api/leads/${closed.id}/close`, { outcome: "spam" });
    const dueTomorrow = await create({ phone: "+15125550306", fullName: "Booked Tomorrow", nextActionDueAt: "2026-11-24T15:00:00Z" });

    t.clock.set("2026-11-23T22:50:00Z"); // 16:50: offered now, due 17:05
    const fresh = await create({ phone: "+15125550307", fullName: "Fresh Lead" });
    return { stale, unaccepted, acceptedToday, incomplete, closed, dueTomorrow, fresh };
  }

  test("at 17:00 the manager gets one digest of the open leads with no next action, most urgent first", async () => {
    const leads = await aDayOfLeads();
    await scheduleEndOfDayReviews(t.deps);
    const [timer] = await reviewTimers();
    expect(timer).toMatchObject({ dueAt: new Date("2026-11-23T23:00:00Z"), status: "pending", payload: { date: "2026-11-23" } });

    t.clock.set("2026-11-23T23:00:00Z");
    const { outcome } = await fireReview();
    expect(outcome).toMatchObject({ acted: true });
    const all = await digests();
    const [digest, ...more] = all.filter((m) => m.memberId === "mia");
    expect(more).toEqual([]);
    expect(digest).toMatchObject({ to: "+15125550113", memberId: "mia", channel: "sms", leadId: null });
    // Dana owns the one accepted lead in it: she hears its code and how to clear it by text.
    expect(all.filter((m) => m.memberId !== "mia")).toEqual([
      expect.objectContaining({
        to: "+15125550111",
        memberId: "dana",
        leadId: leads.stale.id,
        body: `End of day: your lead ${leads.stale.code} has no next action. Clear each: NEXT ${leads.stale.code} <what> <when> or DONE ${leads.stale.code} <outcome>.`,
      }),
    ]);
    const codes = [leads.incomplete.code, leads.stale.code, leads.unaccepted.code];
    expect(digest.body).toBe(
      `Acme Plumbing & Heating end-of-day review: 3 open leads with no next action: ${codes.join(", ")}. ` +
        "Give each an owner and a due next step before close.",
    );
  });

  test("the review API lists the same leads, each with its owner, urgency and why it is there", async () => {
    const leads = await aDayOfLeads();
    t.clock.set("2026-11-23T23:00:00Z");
    const { status, body } = await t.call("GET", `/api/reviews/end-of-day?business=${business}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ business, date: "2026-11-23", asOf: "2026-11-23T23:00:00.000Z", reviewAt: "2026-11-23T23:00:00.000Z", count: 3 });
    expect(body.leads).toEqual([
      expect.objectContaining({
        code: leads.incomplete.code,
        state: "intake",
        ownerId: null,
        urgency: "emergency",
        why: "still with intake, missing name, address, service type, source, notes, next step; no next action due",
      }),
      expect.objectContaining({
        code: leads.stale.code,
        state: "accepted",
        ownerId: "dana",
        ownerName: "Dana Ruiz",
        urgency: "standard",
        why: "accepted by Dana Ruiz; next action was due Fri 10:15 AM CST; no action recorded today",
      }),
      expect.objectContaining({
        code: leads.unaccepted.code,
        state: "offered",
        ownerId: "dana",
        why: "offered to Dana Ruiz, not accepted; next action was due 9:15 AM CST; no action recorded today",
      }),
    ]);
  });

  test("a next action the owner recorded counts: due tomorrow is not reviewed, one already past is, with its words", async () => {
    t.clock.set("2026-11-20T16:00:00Z");
    const planned = await create({ phone: "+15125550401", fullName: "Planned" });
    const lapsed = await create({ phone: "+15125550402", fullName: "Lapsed" });
    for (const l of [planned, lapsed]) await t.call("POST", `/api/leads/${l.id}/accept`, { memberId: "dana" });
    // Friday: one plan for Tuesday, one for Monday morning that nobody acted on.
    await t.call("POST", `/api/leads/${planned.id}/next-action`, { memberId: "dana", action: "call to book", dueAt: "2026-11-24T15:00:00Z" });
    await t.call("POST", `/api/leads/${lapsed.id}/next-action`, { memberId: "dana", action: "send the quote", dueAt: "2026-11-23T15:00:00Z" });

    t.clock.set("2026-11-23T15:00:00Z");
    await scheduleEndOfDayReviews(t.deps);
    t.clock.set("2026-11-23T23:00:00Z");
    const { body } = await t.call("GET", `/api/reviews/end-of-day?business=${business}`);
    expect(body.leads.map((l: any) => l.code)).toEqual([lapsed.code]);
    expect(body.leads[0]).toMatchObject({
      nextAction: "send the quote",
      why: 'accepted by Dana Ruiz; next action "send the quote" was due 9:00 AM CST; no action recorded today',
    });

    await fireReview();
    const toDana = (await digests()).filter((m) => m.memberId === "dana");
    expect(toDana.map((m) => m.body)).toEqual([
      `End of day: your lead ${lapsed.code} has no next action. Clear each: NEXT ${lapsed.code} <what> <when> or DONE ${lapsed.code} <outcome>.`,
    ]);
  });

  test("the digest goes out once per day, however often its wake-up is delivered", async () => {
    await create();
    await scheduleEndOfDayReviews(t.deps);
    await scheduleEndOfDayReviews(t.deps); // start-up twice: still one wake-up
    expect(await reviewTimers()).toHaveLength(1);
    const [timer] = await reviewTimers();
    t.clock.set("2026-11-23T23:00:00Z");
    await fireTimer(t.deps, timer!);
    t.clock.set("2026-11-23T23:10:00Z");
    await fireTimer(t.deps, timer!);
    await t.settle();
    expect((await digests()).filter((m) => m.memberId === "mia")).toHaveLength(1);
  });

  test("each firing schedules the next business day's review, across the weekend and the DST change", async () => {
    // Fri 30 Oct 2026 is in CDT (UTC−5): 17:00 = 22:00Z. Mon 2 Nov is in CST: 17:00 = 23:00Z.
    t.clock.set("2026-10-30T14:00:00Z");
    await scheduleEndOfDayReviews(t.deps);
    const [friday] = await reviewTimers();
    expect(friday!.dueAt).toEqual(new Date("2026-10-30T22:00:00Z"));
    t.clock.set("2026-10-30T22:00:00Z");
    await fireReview();
    const pending = (await reviewTimers()).filter((r) => r.status === "pending");
    expect(pending.map((r) => [r.dueAt.toISOString(), r.payload.date])).toEqual([["2026-11-02T23:00:00.000Z", "2026-11-02"]]);
  });

  test("a review that wakes up only the next day (the gateway was down) sends nothing stale and schedules the next", async () => {
    await create();
    await scheduleEndOfDayReviews(t.deps);
    t.clock.set("2026-11-24T15:00:00Z"); // Tuesday 09:00
    const { outcome } = await fireReview();
    expect(outcome).toMatchObject({ acted: false });
    expect(outcome.reason).toContain("too late");
    expect(await digests()).toEqual([]);
    expect((await reviewTimers()).filter((r) => r.status === "pending").map((r) => r.dueAt)).toEqual([new Date("2026-11-24T23:00:00Z")]);
  });

  test("nothing is texted when every open lead has a next action", async () => {
    const lead = await create();
    await scheduleEndOfDayReviews(t.deps);
    t.clock.set("2026-11-23T22:58:00Z");
    await t.call("PATCH", `/api/leads/${lead.id}`, { summaryNotes: "Called back, visit booked for tomorrow" });
    t.clock.set("2026-11-23T23:00:00Z");
    const { outcome } = await fireReview();
    expect(outcome).toMatchObject({ acted: false, reason: "every open lead has a next action" });
    expect(await digests()).toEqual([]);
  });

  test("the review API takes a past date, and refuses a bad or future one", async () => {
    await create();
    t.clock.set("2026-11-24T16:00:00Z");
    const monday = await t.call("GET", `/api/reviews/end-of-day?business=${business}&date=2026-11-23`);
    expect(monday.body).toMatchObject({ date: "2026-11-23", asOf: "2026-11-23T23:00:00.000Z", count: 1 });
    const sunday = await t.call("GET", `/api/reviews/end-of-day?business=${business}&date=2026-11-22`);
    expect(sunday.body).toMatchObject({ date: "2026-11-22", reviewAt: null, count: 0 });

    expect((await t.call("GET", `/api/reviews/end-of-day?business=${business}&date=2026-11-25`)).status).toBe(400);
    const bad = await t.call("GET", `/api/reviews/end-of-day?business=${business}&date=23/11/2026`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: "date", message: "use YYYY-MM-DD" }]);
    expect((await t.call("GET", "/api/reviews/end-of-day?business=nope")).status).toBe(404);
    expect((await t.call("GET", "/api/reviews/end-of-day")).status).toBe(400);
  });
});
