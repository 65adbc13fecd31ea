import { and, eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { businesses, timers } from "../../src/db/schema/index.ts";
import { fireTimer } from "../../src/escalation/fire-timer.ts";
import { scheduleQaReminders } from "../../src/escalation/qa-reminder.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";

// Acme is in Chicago. Friday 4 Dec 2026 15:00 CST = 21:00Z, in ISO week 2026-W49.
const ANSWERS = { ownerCorrect: "yes", notesSufficient: "yes", waitedTooLong: "no", customerRepeated: "no", outcomeMatched: "unsure" };

describeOnBackends("QA reminder and summary on $name", ({ kind }) => {
  const t = useTestApp(kind);
  let slug: string;
  let businessId: string;
  beforeEach(async () => {
    t.clock.set("2026-11-30T15:00:00Z"); // Monday 09:00
    slug = await t.newBusiness((c: any) => (c.qa = { perWeek: 3 }));
    businessId = (await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug)))[0]!.id;
  });

  const reminders = () => t.deps.db.select().from(timers).where(and(eq(timers.businessId, businessId), eq(timers.kind, "qa-reminder"))).orderBy(timers.dueAt);
  const texts = async () => ((await t.call("GET", `/api/messages?business=${slug}`)).body.messages as any[]).filter((m) => m.purpose === "qa-reminder");
  async function fire() {
    const [timer] = (await reminders()).filter((r) => r.status === "pending");
    const outcome = await fireTimer(t.deps, timer!);
    await t.deps.db.update(timers).set({ status: "fired" }).where(eq(timers.id, timer!.id));
    await t.settle();
    return outcome;
  }
  async function handoffs(n: number) {
    const out = [];
    for (let i = 0; i < n; i++) out.push((await t.call("POST", "/api/leads", completeLead({ business: slug, phone: `+1512555070${i}` }))).body);
    return out;
  }

  test("on Friday 15:00 the manager is told how many of the week's handoffs are still to review; the next week's reminder is set", async () => {
    const leads = await handoffs(4);
    await t.call("POST", `/api/qa/${leads[0].id}`, { week: "2026-W49", reviewer: "mia", answers: ANSWERS });
    await scheduleQaReminders(t.deps);
    await scheduleQaReminders(t.deps); // idempotent
    const [timer, ...more] = await reminders();
    expect(more).toEqual([]);
    expect(timer).toMatchObject({ dueAt: new Date("2026-12-04T21:00:00Z"), status: "pending", payload: { week: "2026-W49" } });

    t.clock.set("2026-12-04T21:00:00Z");
    expect(await fire()).toMatchObject({ acted: true });
    expect(await texts()).toEqual([
      expect.objectContaining({ to: "+15125550113", memberId: "mia", channel: "sms", body: "Acme Plumbing & Heating QA review 2026-W49: 1 of 3 handoffs reviewed, 2 to go before the week ends." }),
    ]);
    expect((await reminders()).filter((r) => r.status === "pending")).toEqual([
      expect.objectContaining({ dueAt: new Date("2026-12-11T21:00:00Z"), payload: { week: "2026-W50" } }),
    ]);
  });

  test("a week with its sample reviewed (or with fewer handoffs than perWeek, all reviewed) sends nothing", async () => {
    const leads = await handoffs(2);
    for (const lead of leads) await t.call("POST", `/api/qa/${lead.id}`, { week: "2026-W49", reviewer: "mia", answers: ANSWERS });
    await scheduleQaReminders(t.deps);
    t.clock.set("2026-12-04T21:00:00Z");
    expect(await fire()).toMatchObject({ acted: false, reason: "2026-W49 is reviewed (2 of 2)" });
    expect(await texts()).toEqual([]);
  });

  test("qa.to and qa.remindOn are the business's: a Monday reminder to the office lead", async () => {
    await t.call("PUT", `/api/businesses/${slug}`, { ...(await t.call("GET", `/api/businesses/${slug}`)).body.config, qa: { to: "office_lead", remindOn: "mon 10:30" } });
    await handoffs(1);
    await scheduleQaReminders(t.deps);
    const [timer] = await reminders();
    expect(timer).toMatchObject({ dueAt: new Date("2026-11-30T16:30:00Z"), payload: { week: "2026-W49" } });
    t.clock.set("2026-11-30T16:30:00Z");
    await fire();
    expect((await texts()).map((m) => [m.memberId, m.body])).toEqual([["omar", "Acme Plumbing & Heating QA review 2026-W49: 0 of 1 handoffs reviewed, 1 to go before the week ends."]]);
  });

  test("a reminder that wakes up in a later week says nothing", async () => {
    await handoffs(1);
    await scheduleQaReminders(t.deps);
    t.clock.set("2026-12-07T15:00:00Z"); // the Monday after
    expect(await fire()).toMatchObject({ acted: false, reason: "the reminder of 2026-W49 woke up too late (now 2026-W50)" });
    expect(await texts()).toEqual([]);
  });

  test("the summary counts answers by question, week by week, with each week's target", async () => {
    const w49 = await handoffs(2);
    t.clock.set("2026-12-08T15:00:00Z");
    const w50 = await handoffs(4);
    await t.call("POST", `/api/qa/${w49[0].id}`, { week: "2026-W49", reviewer: "mia", answers: ANSWERS });
    await t.call("POST", `/api/qa/${w49[0].id}`, { week: "2026-W49", reviewer: "omar", answers: { ...ANSWERS, waitedTooLong: "yes" } });
    await t.call("POST", `/api/qa/${w50[1].id}`, { week: "2026-W50", reviewer: "mia", answers: { ...ANSWERS, ownerCorrect: "no" } });
    const res = await t.call("GET", `/api/qa/summary?business=${slug}&weeks=3`);
    expect(res.status).toBe(200);
    const zero = { yes: 0, no: 0, unsure: 0 };
    const none = { ownerCorrect: zero, notesSufficient: zero, waitedTooLong: zero, customerRepeated: zero, outcomeMatched: zero };
    expect(res.body.weeks).toEqual([
      { week: "2026-W48", handoffs: 0, target: 0, reviewed: 0, reviews: 0, answers: none },
      {
        week: "2026-W49", handoffs: 2, target: 2, reviewed: 1, reviews: 2,
        answers: { ownerCorrect: { ...zero, yes: 2 }, notesSufficient: { ...zero, yes: 2 }, waitedTooLong: { yes: 1, no: 1, unsure: 0 }, customerRepeated: { ...zero, no: 2 }, outcomeMatched: { ...zero, unsure: 2 } },
      },
      {
        week: "2026-W50", handoffs: 4, target: 3, reviewed: 1, reviews: 1,
        answers: { ownerCorrect: { ...zero, no: 1 }, notesSufficient: { ...zero, yes: 1 }, waitedTooLong: { ...zero, no: 1 }, customerRepeated: { ...zero, no: 1 }, outcomeMatched: { ...zero, unsure: 1 } },
      },
    ]);
    expect(res.body.totals.waitedTooLong).toEqual({ yes: 1, no: 2, unsure: 0 });
    expect((await t.call("GET", `/api/qa/summary?business=${slug}&weeks=0`)).status).toBe(400);
  });
});
