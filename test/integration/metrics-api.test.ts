import { beforeAll, expect, test } from "vitest";
import { timeToAcceptChart, withinWindowChart } from "../../src/admin/metrics-charts.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { offerTimes, planWeek, roundTheClock, seedWeek, WINDOW_MIN, type SeededLead } from "../helpers/seed-week.ts";

const MONDAY = new Date("2026-11-30T06:00:00Z");

/** percentile_cont: linear between the two nearest ranks, written here independently of the SQL. */
function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  // The API rounds seconds to milliseconds.
  return Math.round((sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)) * 1000) / 1000;
}
const countBy = <T>(list: T[], key: (t: T) => string) => list.reduce<Record<string, number>>((m, x) => ((m[key(x)] = (m[key(x)] ?? 0) + 1), m), {});
const pct = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 100 : null);

describeOnBackends("speed-to-lead metrics of a seeded week on $name", ({ kind }) => {
  const t = useTestApp(kind);
  let slug: string;
  let week: SeededLead[];
  let owners: Map<string, string>;

  beforeAll(async () => {
    slug = await t.newBusiness(roundTheClock);
    // A lead of the week before, outside the range asked for, then 24 through the week.
    const before = await seedWeek(t, slug, planWeek(3, new Date("2026-11-29T20:00:00Z"), 1));
    week = await seedWeek(t, slug, planWeek(1201, new Date("2026-11-30T06:30:00Z"), 24, 400).map((p) => ({ ...p, phone: p.phone.replace(/(\d{4})$/, (d) => String(Number(d) + 300)) })));
    expect(before).toHaveLength(1);
    owners = new Map();
    for (const s of week) owners.set(s.id, (await t.call("GET", `/api/leads/${s.id}`)).body.ownerId);
  }, 120_000);

  const stateOf = (s: SeededLead) => (s.close ? "closed" : s.acceptAfterMin !== undefined ? "accepted" : "offered");
  const tta = (list: SeededLead[]) => list.filter((s) => s.acceptAfterMin !== undefined).map((s) => s.acceptAfterMin! * 60);
  const within = (list: SeededLead[]) => list.filter((s) => s.acceptAfterMin !== undefined && s.acceptAfterMin <= WINDOW_MIN[s.kind]).length;
  const booked = (list: SeededLead[]) => list.filter((s) => s.close === "booked" || s.close === "membership").length;

  test("the figures match the plan: counts, percentiles, windows, escalations, rejections, missed calls, outcomes", async () => {
    const res = await t.call("GET", `/api/metrics?business=${slug}&from=2026-11-30&to=2026-12-07`);
    expect(res.status).toBe(200);
    const m = res.body;
    const accepted = week.filter((s) => s.acceptAfterMin !== undefined);
    const missed = week.filter((s) => s.kind === "missed_call");
    const closed = week.filter((s) => s.close);
    const rejected = week.filter((s) => s.reject);
    expect(m).toMatchObject({
      business: slug,
      from: MONDAY.toISOString(),
      to: "2026-12-07T06:00:00.000Z",
      leads: 24,
      byState: countBy(week, stateOf),
      byChannel: { manual: 24 },
      bySource: countBy(week, (s) => (s.kind === "missed_call" ? "missed_call" : "website")),
      byUrgency: countBy(week, (s) => (s.kind === "emergency" ? "emergency" : "standard")),
      timeToOfferSeconds: {
        p50: percentile(week.map((s) => (offerTimes(s).first.getTime() - s.createdAt.getTime()) / 1000), 0.5),
        p90: percentile(week.map((s) => (offerTimes(s).first.getTime() - s.createdAt.getTime()) / 1000), 0.9),
      },
      timeToAcceptSeconds: { p50: percentile(tta(week), 0.5), p90: percentile(tta(week), 0.9) },
      timeToAcceptDistribution: [60, 300, 900, 1800, 3600, 14400, 86400, null].map((upTo, i, all) => ({
        upToSeconds: upTo,
        leads: tta(week).filter((v) => (i === 0 || v > all[i - 1]!) && (upTo === null || v <= upTo)).length,
      })),
      // Every lead of the plan came in during 2026-W49 (Chicago).
      withinWindowByWeek: [{ week: "2026-W49", accepted: accepted.length, withinWindow: within(week) }],
      accepted: accepted.length,
      acceptedWithinWindow: within(week),
      acceptedWithinWindowPct: pct(within(week), accepted.length),
      escalations: { events: week.filter((s) => s.escalate).length, leads: week.filter((s) => s.escalate).length },
      rejections: { total: rejected.length, byReason: countBy(rejected, (s) => s.reject!.reason) },
      missedCalls: { total: missed.length, recovered: missed.filter((s) => s.acceptAfterMin !== undefined).length },
      outcomes: { closed: closed.length, booked: booked(week), bookedRate: pct(booked(week), closed.length), byOutcome: countBy(closed, (s) => s.close!) },
      completedByCustomer: { leads: 0, medianSecondsToComplete: null },
    });
    expect(week.some((s) => s.escalate) && week.some((s) => s.reject) && closed.length > 0 && missed.length > 0).toBe(true);
    // Per member: each lead counts with its owner now.
    const byOwner = new Map<string, SeededLead[]>();
    for (const s of week) byOwner.set(owners.get(s.id)!, [...(byOwner.get(owners.get(s.id)!) ?? []), s]);
    expect(m.members.map((x: any) => x.memberId)).toEqual([...byOwner.keys()].sort());
    for (const x of m.members) {
      const mine = byOwner.get(x.memberId)!;
      expect(x).toEqual({
        memberId: x.memberId,
        leads: mine.length,
        accepted: tta(mine).length,
        timeToAcceptSeconds: { p50: percentile(tta(mine), 0.5), p90: percentile(tta(mine), 0.9) },
        acceptedWithinWindow: within(mine),
        acceptedWithinWindowPct: pct(within(mine), tta(mine).length),
        escalations: week.filter((s) => s.escalate && s.ownerAtOffer === x.memberId).length,
        rejections: week.filter((s) => s.reject && s.ownerAtOffer === x.memberId).length,
        closed: mine.filter((s) => s.close).length,
        booked: booked(mine),
      });
    }
  });

  test("the charts draw the answer's distribution and weekly share, with the same numbers in their tables", async () => {
    const m = (await t.call("GET", `/api/metrics?business=${slug}&from=2026-11-30&to=2026-12-07`)).body;
    const dist = timeToAcceptChart(m.timeToAcceptDistribution);
    expect(dist.table.rows.reduce((a, [, n]) => a + Number(n), 0)).toBe(tta(week).length);
    expect((dist.svg.match(/<rect /g) ?? []).length).toBe(8);
    const weekly = withinWindowChart(m.withinWindowByWeek);
    expect(weekly.table.rows).toEqual([["2026-W49", String(tta(week).length), String(within(week)), `${Math.round((within(week) / tta(week).length) * 1000) / 10}%`]]);
  });

  test("CSV has one figure a row, the same numbers", async () => {
    const json = (await t.call("GET", `/api/metrics?business=${slug}&from=2026-11-30&to=2026-12-07`)).body;
    const res = await t.app.request(`/api/metrics?business=${slug}&from=2026-11-30&to=2026-12-07&format=csv`, { headers: { authorization: "Bearer test-admin-token" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("scope,metric,key,value");
    expect(lines).toContain("business,leads,,24");
    expect(lines).toContain(`business,accepted_within_window,,${json.acceptedWithinWindow}`);
    expect(lines).toContain(`business,time_to_accept_seconds,p90,${json.timeToAcceptSeconds.p90}`);
    for (const [reason, n] of Object.entries(json.rejections.byReason)) expect(lines).toContain(`business,rejections_by_reason,${reason},${n}`);
    for (const x of json.members) expect(lines).toContain(`${x.memberId},booked,,${x.booked}`);
  });

  test("a range without leads counts zeros and nulls; bad bounds get 400 naming them", async () => {
    const empty = await t.call("GET", `/api/metrics?business=${slug}&from=2025-01-01&to=2025-02-01`);
    expect(empty.body).toMatchObject({ leads: 0, byState: {}, timeToAcceptSeconds: { p50: null, p90: null }, acceptedWithinWindowPct: null, members: [] });
    const bad = await t.call("GET", `/api/metrics?business=${slug}&from=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path)).toEqual(["from"]);
    const reversed = await t.call("GET", `/api/metrics?business=${slug}&from=2026-12-07&to=2026-11-30`);
    expect(reversed.body.error.details).toEqual([{ path: "from", message: "must be before `to`" }]);
    expect((await t.call("GET", `/api/metrics?business=nobody`)).status).toBe(404);
  });
});
