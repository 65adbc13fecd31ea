import { eq } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { eventDeliveries } from "../../src/db/schema/index.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { offerTimes, planWeek, roundTheClock, seedWeek, WINDOW_MIN, type SeededLead } from "../helpers/seed-week.ts";

// 2026-W49 in Chicago (CST, UTC−6): Monday 30 Nov 00:00 = 06:00Z up to Monday 7 Dec 06:00Z.
const WEEK = "2026-W49";
const MONDAY = new Date("2026-11-30T06:00:00Z");
const NEXT_MONDAY = new Date("2026-12-07T06:00:00Z");
const NAMES: Record<string, string> = { dana: "Dana Ruiz", omar: "Omar Lee", mia: "Mia Brooks", sam: "Sam Patel", ivy: "Ivy Chen" };

/** Minutes as the evidence words them. */
const span = (min: number) => (min < 60 ? `${min} min` : min % 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${min / 60} h`);

/** FNV-1a, written again here so the expected sample does not come from the code under test. */
function fnv(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

describeOnBackends("QA review of a seeded week on $name", ({ kind }) => {
  const t = useTestApp(kind);
  let slug: string;
  let seeded: SeededLead[];
  let inWeek: SeededLead[];

  beforeAll(async () => {
    slug = await t.newBusiness((c: any) => {
      roundTheClock(c);
      c.webhooks = [{ id: "qa", url: "http://127.0.0.1:9/never", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", events: ["qa.reviewed"] }];
    });
    // One handoff of the week before (Sunday evening in Chicago), then 20 leads through the week.
    const before = planWeek(7, new Date("2026-11-30T02:00:00Z"), 1);
    const week = planWeek(49, new Date("2026-11-30T07:00:00Z"), 20, 480);
    seeded = await seedWeek(t, slug, [...before, ...week.map((p) => ({ ...p, n: p.n + 1, phone: p.phone.replace(/(\d{4})$/, (d) => String(Number(d) + 100)) }))]);
    inWeek = seeded.filter((s) => offerTimes(s).first >= MONDAY && offerTimes(s).first < NEXT_MONDAY);
    t.clock.set("2026-12-07T05:00:00Z");
  }, 120_000);

  test("the seeded week has every kind and path", () => {
    expect(inWeek.length).toBe(20);
    expect(new Set(inWeek.map((s) => s.kind)).size).toBe(4);
    expect(inWeek.some((s) => s.reject)).toBe(true);
    expect(inWeek.some((s) => s.escalate)).toBe(true);
    expect(inWeek.some((s) => s.repeatAfterMin !== undefined)).toBe(true);
    expect(inWeek.some((s) => s.acceptAfterMin === undefined)).toBe(true);
  });

  test("the sample is min(perWeek, n): priority handoffs first, then the seeded draw, the same every time", async () => {
    const res = await t.call("GET", `/api/qa?business=${slug}&week=${WEEK}`);
    expect(res.status).toBe(200);
    const priority = (s: SeededLead) => s.kind === "emergency" || !!s.reject || s.escalate || s.kind === "missed_call";
    const expected = [...inWeek]
      .sort((a, b) => Number(priority(b)) - Number(priority(a)) || fnv(`${slug}|${WEEK}|${a.id}`) - fnv(`${slug}|${WEEK}|${b.id}`))
      .slice(0, 5)
      .map((s) => s.code);
    expect(res.body).toMatchObject({ week: WEEK, perWeek: 5, handoffs: 20, reviewed: 0 });
    expect(res.body.items.map((i: any) => i.lead.code)).toEqual(expected);
    const again = await t.call("GET", `/api/qa?business=${slug}&week=${WEEK}`);
    expect(again.body.items.map((i: any) => i.lead.code)).toEqual(expected);
  });

  test("the default week is the current one in the business's zone", async () => {
    // Sunday 6 Dec 23:00 in Chicago is still W49, though it is Monday in UTC.
    const res = await t.call("GET", `/api/qa?business=${slug}`);
    expect(res.body.week).toBe(WEEK);
    const before = await t.call("GET", `/api/qa?business=${slug}&week=2026-W48`);
    expect(before.body.items.map((i: any) => i.lead.code)).toEqual([seeded[0]!.code]);
  });

  test("every handoff's evidence states the facts of its history", async () => {
    await t.call("PUT", `/api/businesses/${slug}`, { ...(await t.call("GET", `/api/businesses/${slug}`)).body.config, qa: { perWeek: 50 } });
    const res = await t.call("GET", `/api/qa?business=${slug}&week=${WEEK}`);
    expect(res.body.items).toHaveLength(20);
    for (const s of inWeek) {
      const item = res.body.items.find((i: any) => i.lead.id === s.id);
      const ev = item.evidence;
      const window = span(WINDOW_MIN[s.kind]);
      const escalated = s.escalate ? `escalated once to ${NAMES[s.escalatedTo!]}` : "not escalated";
      if (s.acceptAfterMin !== undefined) {
        const since = s.reject ? s.reject.afterMin + s.reject.refillAfterMin + s.acceptAfterMin : s.acceptAfterMin;
        expect(ev.waitedTooLong).toContain(`accepted ${span(since)} after offer, window ${window}, ${escalated}`);
      } else expect(ev.waitedTooLong.join("|")).toMatch(new RegExp(`^offered .*\\|not accepted .* after offer, window ${window}, ${escalated}$`));
      expect(ev.waitedTooLong[0]).toBe(`offered ${s.incompleteForMin ? span(s.incompleteForMin) : "0 s"} after it came in`);
      if (s.reject) {
        expect(ev.notesSufficient).toContain(`rejected for: ${s.reject.reason}`);
        expect(ev.ownerCorrect).toContain(`rejected by ${NAMES[s.ownerAtOffer]} ${span(s.reject.afterMin)} after offer`);
      } else expect(ev.ownerCorrect).toContain("no rejections or reassignments");
      expect(ev.notesSufficient[0]).toBe("nothing missing at first offer");
      if (s.repeatAfterMin !== undefined) expect(ev.customerRepeated[0]).toBe(`customer called again ${span(s.repeatAfterMin)} later (same caller within the dedupe window)`);
      else expect(ev.customerRepeated).toEqual(["no repeat contact after intake"]);
      if (s.close) expect(ev.outcomeMatched[0]).toMatch(new RegExp(`^closed as ${s.close} \\(${s.close === "lost" ? "not a booking" : "a booking"}\\)`));
      else expect(ev.outcomeMatched[0]).toMatch(/^no outcome yet/);
      if (s.acceptedBy) expect(ev.ownerCorrect).toContain(`accepted by ${NAMES[s.acceptedBy]}`);
      expect(item.timeline.length).toBeGreaterThan(1);
    }
  });

  test("a review is stored with reviewer and time, recorded in the history and announced as qa.reviewed", async () => {
    const s = inWeek[0]!;
    t.clock.set("2026-12-04T21:00:00Z");
    const answers = { ownerCorrect: "yes", notesSufficient: "no", waitedTooLong: "unsure", customerRepeated: "no", outcomeMatched: "yes" };
    const res = await t.call("POST", `/api/qa/${slug}:${s.code}`, { week: WEEK, reviewer: "mia", answers, note: "notes thin" });
    expect(res.status).toBe(200);
    const review = { week: WEEK, reviewer: "mia", answers, note: "notes thin", reviewedAt: "2026-12-04T21:00:00.000Z" };
    expect(res.body).toMatchObject({ lead: { id: s.id }, review });
    const lead = (await t.call("GET", `/api/leads/${s.id}`)).body;
    expect(lead.events.at(-1)).toMatchObject({ type: "qa_reviewed", actor: "member:mia", detail: review });
    const [delivery] = await t.deps.db.select().from(eventDeliveries).where(eq(eventDeliveries.eventType, "qa.reviewed"));
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: "qa.reviewed", data: { lead: { id: s.id }, review } });
    const week = (await t.call("GET", `/api/qa?business=${slug}&week=${WEEK}`)).body;
    expect(week.reviewed).toBe(1);
    expect(week.items.find((i: any) => i.lead.id === s.id).reviews).toEqual([review]);
    // The same reviewer again replaces their answers; the history keeps both.
    t.clock.set("2026-12-04T21:05:00Z");
    await t.call("POST", `/api/qa/${s.id}`, { week: WEEK, reviewer: "mia", answers: { ...answers, notesSufficient: "yes" } });
    const after = (await t.call("GET", `/api/qa?business=${slug}&week=${WEEK}`)).body;
    expect(after.items.find((i: any) => i.lead.id === s.id).reviews).toEqual([{ ...review, answers: { ...answers, notesSufficient: "yes" }, note: null, reviewedAt: "2026-12-04T21:05:00.000Z" }]);
  });

  test("bad reviews get 400 naming the field; a lead of another week gets 409 naming its week", async () => {
    const s = inWeek[1]!;
    const good = { week: WEEK, reviewer: "mia", answers: { ownerCorrect: "yes", notesSufficient: "yes", waitedTooLong: "yes", customerRepeated: "yes", outcomeMatched: "yes" } };
    const bad = await t.call("POST", `/api/qa/${s.id}`, { ...good, answers: { ...good.answers, ownerCorrect: "maybe", outcomeMatched: undefined } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(["answers.outcomeMatched", "answers.ownerCorrect"]);
    const noReviewer = await t.call("POST", `/api/qa/${s.id}`, { ...good, reviewer: " " });
    expect(noReviewer.body.error.details.map((d: any) => d.path)).toEqual(["reviewer"]);
    const badWeek = await t.call("POST", `/api/qa/${s.id}`, { ...good, week: "2026-W60" });
    expect(badWeek.status).toBe(400);
    expect(badWeek.body.error.details.map((d: any) => d.path)).toEqual(["week"]);
    const other = await t.call("POST", `/api/qa/${seeded[0]!.id}`, good);
    expect(other.status).toBe(409);
    expect(other.body.error.details).toEqual([{ path: "week", message: "the lead is a handoff of 2026-W48" }]);
    const unknown = await t.call("POST", `/api/qa/${slug}:99999`, good);
    expect(unknown.status).toBe(404);
  });

  test("a business's API key reaches its own QA week and metrics, and no other business's", async () => {
    const key = (await t.call("POST", `/api/businesses/${slug}/keys`, { name: "qa tool" })).body.key as string;
    const other = await t.newBusiness();
    const otherKey = (await t.call("POST", `/api/businesses/${other}/keys`, { name: "theirs" })).body.key as string;
    const as = (token: string, path: string, body?: unknown) =>
      t.app.request(path, {
        method: body ? "POST" : "GET",
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    expect((await as(key, `/api/qa?business=${slug}&week=${WEEK}`)).status).toBe(200);
    expect((await as(key, `/api/metrics?business=${slug}&from=2026-11-30&to=2026-12-07`)).status).toBe(200);
    expect((await as(otherKey, `/api/qa?business=${slug}&week=${WEEK}`)).status).toBe(403);
    const answers = { ownerCorrect: "yes", notesSufficient: "yes", waitedTooLong: "yes", customerRepeated: "yes", outcomeMatched: "yes" };
    expect((await as(otherKey, `/api/qa/${slug}:${inWeek[2]!.code}`, { week: WEEK, reviewer: "mia", answers })).status).toBe(403);
    expect((await as(key, `/api/qa/${slug}:${inWeek[2]!.code}`, { week: WEEK, reviewer: "mia", answers })).status).toBe(200);
  });
});
