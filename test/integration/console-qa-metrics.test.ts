import { beforeAll, beforeEach, expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { ConsoleClient } from "../helpers/console-client.ts";
import { planWeek, roundTheClock, seedWeek, type SeededLead } from "../helpers/seed-week.ts";
import { ADMIN_TOKEN, completeLead } from "../helpers/test-app.ts";

// The console's QA review and metrics pages (CONTRACT §11, §12) on a seeded week: the metrics
// page shows GET /api/metrics's numbers (and its CSV), the QA page stores answers through the same
// verb as POST /api/qa with the same refusals, and only the office sees either.

const QUINN = "+15125550188"; // manager of the seeded business
const TOM = "+15125550189"; // technician there
const QUESTIONS = ["ownerCorrect", "notesSufficient", "waitedTooLong", "customerRepeated", "outcomeMatched"] as const;

/** The text of each cell of the row the regex's first match opens. */
const cells = (row: string) => [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, "").trim());
/** The rows of the table with data-table="name", each as its cells' text. */
function table(page: string, name: string): string[][] {
  const at = page.indexOf(`data-table="${name}"`);
  expect(at, `table ${name}`).toBeGreaterThan(-1);
  const body = page.slice(at, page.indexOf("</table>", at));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => cells(m[1]!)).filter((r) => r.length);
}
const figure = (page: string, name: string) => new RegExp(`data-figure="${name}">([^<]*)<`).exec(page)?.[1];
/** spanText's spelling, written here again: 45 s, 22 min, 1 h 5 min. */
const span = (s: number | null) => {
  if (s === null) return "–";
  const r = Math.round(s);
  if (r < 60) return `${r} s`;
  const min = Math.round(r / 60);
  if (min < 60) return `${min} min`;
  return null; // the seeded week has nothing longer; a longer one fails the comparison below
};
const pct = (p: number | null) => (p === null ? "–" : `${p}%`);

describeOnBackends("the console's QA review and metrics pages on $name", ({ kind }) => {
  const t = useTestApp(kind);
  let slug: string;
  let week: SeededLead[];
  beforeEach(() => t.clock.advance(16 * 60_000)); // past the sign-in rate window
  const signedIn = async (phone: string) => {
    const client = new ConsoleClient(t);
    await client.signIn(phone);
    return client;
  };

  beforeAll(async () => {
    slug = await t.newBusiness((c) => {
      roundTheClock(c);
      c.team.push({ id: "quinn", name: "Quinn Boss", phone: QUINN, roles: ["manager"] }, { id: "tom", name: "Tom Tech", phone: TOM, roles: ["technician"] });
    });
    week = await seedWeek(t, slug, planWeek(77, new Date("2026-11-30T07:00:00Z"), 12, 420));
  }, 120_000);

  test("the metrics page shows GET /api/metrics's numbers: headline, both charts' tables, members, outcomes, rejections; its CSV is the API's", async () => {
    const quinn = await signedIn(QUINN);
    const range = "from=2026-11-30&to=2026-12-07";
    const api = (await t.call("GET", `/api/metrics?business=${slug}&${range}`)).body;
    expect(api.leads).toBe(12);
    const res = await quinn.get(`/console/metrics?${range}`);
    expect(res.status).toBe(200);
    const p = res.text;
    expect(figure(p, "tta-p50")).toBe(span(api.timeToAcceptSeconds.p50));
    expect(figure(p, "tta-p90")).toBe(span(api.timeToAcceptSeconds.p90));
    expect(figure(p, "within-pct")).toBe(pct(api.acceptedWithinWindowPct));
    expect(p).toContain(`${api.acceptedWithinWindow} of ${api.accepted} accepted`);
    expect(figure(p, "missed")).toBe(`${api.missedCalls.recovered} of ${api.missedCalls.total}`);
    expect(figure(p, "escalations")).toBe(String(api.escalations.events));
    expect(api.escalations.events).toBeGreaterThan(0);

    // The charts are SVG, and each has its numbers as a table.
    expect(p.match(/<svg /g)).toHaveLength(2);
    const labels = ["≤ 1 min", "≤ 5 min", "≤ 15 min", "≤ 30 min", "≤ 1 h", "≤ 4 h", "≤ 24 h", "longer"];
    expect(table(p, "Time to accept")).toEqual(api.timeToAcceptDistribution.map((b: { leads: number }, i: number) => [labels[i], String(b.leads)]));
    expect(table(p, "Accepted within window, by week")).toEqual(
      api.withinWindowByWeek.map((w: any) => [w.week, String(w.accepted), String(w.withinWindow), w.accepted ? `${Math.round((w.withinWindow / w.accepted) * 1000) / 10}%` : "–"]),
    );
    const names: Record<string, string> = { dana: "Dana Ruiz", omar: "Omar Lee", mia: "Mia Brooks", sam: "Sam Patel", ivy: "Ivy Chen" };
    expect(table(p, "members").sort()).toEqual(
      api.members
        .map((m: any) => [names[m.memberId] ?? m.memberId, String(m.leads), String(m.accepted), span(m.timeToAcceptSeconds.p50), span(m.timeToAcceptSeconds.p90),
          `${m.acceptedWithinWindow} (${pct(m.acceptedWithinWindowPct)})`, String(m.escalations), String(m.rejections), String(m.closed), String(m.booked)])
        .sort(),
    );
    expect(api.members.length).toBeGreaterThan(1);
    const sortedCounts = (o: Record<string, number>) => Object.entries(o).map(([k, n]) => [k, String(n)]).sort();
    expect(table(p, "Rejections by reason").sort()).toEqual(sortedCounts(api.rejections.byReason));
    expect(week.some((s) => s.reject)).toBe(true);
    expect(table(p, "Outcomes").sort()).toEqual(sortedCounts(api.outcomes.byOutcome));
    expect(table(p, "By source").sort()).toEqual(sortedCounts(api.bySource));
    // Outcomes by source, counted here from the plan: each closed lead's source and outcome.
    const closed = week.filter((s) => s.close);
    const outcomeNames = [...new Set(closed.map((s) => s.close!))].sort();
    const sourceOf = (s: SeededLead) => (s.kind === "missed_call" ? "missed_call" : "website");
    const expected = [...new Set(closed.map(sourceOf))].map((source) => {
      const mine = closed.filter((s) => sourceOf(s) === source);
      return [source, ...outcomeNames.map((o) => String(mine.filter((s) => s.close === o).length)), String(mine.length), String(mine.filter((s) => s.close !== "lost").length)];
    });
    expect(table(p, "Outcomes by source").sort()).toEqual(expected.sort());
    expect(expected.length).toBe(2);

    const csvLink = /href="(\/console\/metrics\.csv\?[^"]+)"/.exec(p)?.[1]?.replace(/&amp;/g, "&");
    expect(csvLink).toBeDefined();
    const csv = await quinn.get(csvLink!);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const apiCsv = await t.app.request(`/api/metrics?business=${slug}&${range}&format=csv`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(csv.text).toBe(await apiCsv.text());

    expect((await quinn.get(`/console/metrics?from=yesterday`)).status).toBe(400);
    expect((await quinn.get(`/console/metrics?from=2026-12-07&to=2026-11-30`)).status).toBe(400);
  });

  test("the QA page shows one sampled handoff with its evidence; a review is stored by POST /api/qa's verb, with its refusals", async () => {
    const quinn = await signedIn(QUINN);
    const sample = (await t.call("GET", `/api/qa?business=${slug}&week=2026-W49`)).body;
    expect(sample.items).toHaveLength(5);
    const page = await quinn.get("/console/qa?week=2026-W49");
    expect(page.status).toBe(200);
    expect(page.text).toContain("0 of 5 reviewed");
    const first = sample.items[0];
    expect(page.text).toContain(`Lead #${first.lead.code}</a>`);
    for (const q of QUESTIONS) for (const s of first.evidence[q]) expect(page.text).toContain(s.replace(/&/g, "&amp;").replace(/"/g, "&quot;"));

    // Incomplete: 400 naming the unanswered questions, nothing stored.
    const partial = await quinn.post(`/console/qa/${first.lead.id}`, { week: "2026-W49", ownerCorrect: "yes", notesSufficient: "maybe" });
    expect(partial.status).toBe(400);
    expect(partial.text).toContain("answers.notesSufficient");
    expect(partial.text).toContain("answers.outcomeMatched");
    // A lead that is no handoff of the week asked for: the API's 409.
    const wrongWeek = await quinn.post(`/console/qa/${first.lead.id}`, { week: "2026-W48", ownerCorrect: "yes", notesSufficient: "yes", waitedTooLong: "no", customerRepeated: "no", outcomeMatched: "yes" });
    expect(wrongWeek.status).toBe(409);
    expect(wrongWeek.text).toContain("the lead is a handoff of 2026-W49");
    expect((await t.call("GET", `/api/qa?business=${slug}&week=2026-W49`)).body.reviewed).toBe(0);

    const answers = { ownerCorrect: "no", notesSufficient: "yes", waitedTooLong: "unsure", customerRepeated: "no", outcomeMatched: "yes" };
    const saved = await quinn.post(`/console/qa/${first.lead.id}`, { week: "2026-W49", ...answers, note: "owner <b>was</b> wrong" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/console/qa?week=2026-W49&done=review+stored");
    const after = (await t.call("GET", `/api/qa?business=${slug}&week=2026-W49`)).body;
    expect(after.items.find((i: any) => i.lead.id === first.lead.id).reviews).toEqual([
      { week: "2026-W49", reviewer: "quinn", answers, note: "owner <b>was</b> wrong", reviewedAt: t.clock.now().toISOString() },
    ]);
    const lead = (await t.call("GET", `/api/leads/${first.lead.id}`)).body;
    expect(lead.events.at(-1)).toMatchObject({ type: "qa_reviewed", actor: "member:quinn" });

    // The next page is the next handoff not yet reviewed, and the note is escaped when shown again.
    const next = await quinn.get(saved.headers.get("location")!);
    expect(next.text).toContain("1 of 5 reviewed");
    expect(next.text).toContain(`Lead #${sample.items[1].lead.code}</a>`);
    const again = await quinn.get(`/console/qa?week=2026-W49&lead=${first.lead.id}`);
    expect(again.text).toContain("owner &lt;b&gt;was&lt;/b&gt; wrong");
    expect(again.text).not.toContain("<b>was</b>");
  });

  test("the operator picks the business and reviews as \"operator\"", async () => {
    const operator = new ConsoleClient(t);
    await operator.signInOperator();
    const page = await operator.get(`/console/qa?business=${slug}&week=2026-W49`);
    expect(page.status).toBe(200);
    const id = /action="\/console\/qa\/([0-9a-f-]{36})\?business=/.exec(page.text)?.[1];
    expect(id).toBeDefined();
    const answers = { ownerCorrect: "yes", notesSufficient: "yes", waitedTooLong: "no", customerRepeated: "unsure", outcomeMatched: "yes" };
    const saved = await operator.post(`/console/qa/${id}?business=${slug}`, { week: "2026-W49", ...answers });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`/console/qa?business=${slug}&week=2026-W49&done=review+stored`);
    const item = (await t.call("GET", `/api/qa?business=${slug}&week=2026-W49`)).body.items.find((i: any) => i.lead.id === id);
    expect(item.reviews.find((r: any) => r.reviewer === "operator")).toMatchObject({ answers, note: null });
  });

  test("what callers and reviewers wrote is escaped on the QA page", async () => {
    const other = await t.newBusiness((c) => {
      roundTheClock(c);
      c.team.push({ id: "rhea", name: "Rhea <i>Boss</i>", phone: "+15125550187", roles: ["manager"] });
    });
    t.clock.set("2026-12-08T16:00:00Z"); // 2026-W50
    const xss = (await t.call("POST", "/api/leads", completeLead({ business: other, phone: "+15125550901", fullName: `<script>alert("qa")</script>`, summaryNotes: `<img src=x onerror=alert(1)>` }))).body;
    expect((await t.call("POST", `/api/leads/${xss.id}/reject`, { memberId: xss.ownerId, reason: `<b>no gate code</b>` })).status).toBe(200);
    const rhea = await signedIn("+15125550187");
    const page = await rhea.get("/console/qa");
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Lead #${xss.code}</a>`);
    expect(page.text).toContain("2026-W50");
    for (const bad of ["<script>alert", "<img src=x", "<b>no gate code", "<i>Boss"]) expect(page.text).not.toContain(bad);
    expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page.text).toContain("&lt;b&gt;no gate code&lt;/b&gt;");
  });

  test("a technician gets 403 on the QA and metrics pages and cannot post a review", async () => {
    const tom = await signedIn(TOM);
    for (const path of ["/console/qa", "/console/metrics", "/console/metrics.csv"]) expect((await tom.get(path)).status, path).toBe(403);
    expect((await tom.get("/console/board")).text).not.toContain('href="/console/qa"');
    const res = await tom.post(`/console/qa/${week[0]!.id}`, { week: "2026-W49", ownerCorrect: "yes", notesSufficient: "yes", waitedTooLong: "no", customerRepeated: "no", outcomeMatched: "yes" });
    expect(res.status).toBe(403);
    const item = (await t.call("GET", `/api/qa?business=${slug}&week=2026-W49`)).body.items.find((i: any) => i.lead.id === week[0]!.id);
    expect(item?.reviews.some((r: any) => r.reviewer === "tom") ?? false).toBe(false);
  });
});
