import { html, raw } from "hono/html";
import { leadMetrics, type Metrics } from "../../admin/metrics.ts";
import { timeToAcceptChart, withinWindowChart, type Chart } from "../../admin/metrics-charts.ts";
import { metricsCsv } from "../../admin/metrics-csv.ts";
import { metricsRange } from "../../admin/metrics-range.ts";
import { outcomesBySource } from "../../admin/outcomes-by-source.ts";
import type { BusinessRow } from "../../core/records.ts";
import { spanText } from "../../domain/qa-evidence.ts";
import { inZone, toLocalInput } from "../format.ts";
import { page } from "../layout.ts";
import { CONSOLE_BASE } from "../paths.ts";
import { picker, wholeBusiness } from "./business-pages.ts";
import type { ConsoleContext, ConsolePage, Html } from "../console-env.ts";

// Speed-to-lead metrics (CONTRACT §12) in the console: the numbers of GET /api/metrics for a
// range, the two SVG charts of admin/metrics-charts.ts each with its table, and the same CSV.

const METRICS_PATH = `${CONSOLE_BASE}/metrics`;
export const METRICS_CSV_PATH = `${CONSOLE_BASE}/metrics.csv`;

/** The range the page was asked for, as GET /api/metrics reads `from` and `to`. */
async function metricsOf(c: ConsoleContext): Promise<{ business: BusinessRow; metrics: Metrics; range: { from: Date; to: Date }; from?: string; to?: string }> {
  const business = await wholeBusiness(c);
  const from = c.req.query("from")?.slice(0, 40) || undefined;
  const to = c.req.query("to")?.slice(0, 40) || undefined;
  const range = metricsRange(business, from, to, c.var.deps.clock.now());
  return { business, metrics: await leadMetrics(c.var.deps.db, business, range.from, range.to), range, from, to };
}

const seconds = (s: number | null) => (s === null ? "–" : spanText(s * 1000));
const percent = (p: number | null) => (p === null ? "–" : `${p}%`);

/** A table of counts by key, largest first; "none" when empty. */
function counts(caption: string, head: string, byKey: Record<string, number>): Html {
  const rows = Object.entries(byKey).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return html`<table data-table="${caption}"><caption>${caption}</caption><thead><tr><th>${head}</th><th>leads</th></tr></thead><tbody>
    ${rows.length ? rows.map(([k, n]) => html`<tr><td>${k}</td><td>${n}</td></tr>`) : html`<tr><td colspan="2" class="muted">none</td></tr>`}
  </tbody></table>`;
}

/** A chart (its SVG is built escaped by metrics-charts.ts) with the same numbers as a table. */
function chart(id: string, c: Chart): Html {
  return html`<figure class="panel chart" id="${id}">
    ${raw(c.svg)}
    <figcaption><table data-table="${c.title}"><caption>${c.title}</caption><thead><tr>${c.table.head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>
      ${c.table.rows.map((r) => html`<tr>${r.map((v) => html`<td>${v}</td>`)}</tr>`)}
    </tbody></table></figcaption>
  </figure>`;
}

export const metricsPage: ConsolePage = {
  path: METRICS_PATH,
  label: "Metrics",
  wholeBusiness: true,
  async render(c) {
    const { business, metrics: m, range, from, to } = await metricsOf(c);
    const bySource = await outcomesBySource(c.var.deps.db, business, range.from, range.to);
    const outcomeNames = [...new Set(bySource.flatMap((s) => Object.keys(s.byOutcome)))].sort();
    const zone = business.config.timezone;
    const name = (id: string) => business.config.team.find((t) => t.id === id)?.name ?? id;
    const query = new URLSearchParams({ ...(c.var.viewer.operator && { business: business.slug }), ...(from && { from }), ...(to && { to }) });
    const shownFrom = toLocalInput(new Date(m.from), zone).slice(0, 10);
    // Without `to` the range ends now; the date field shows tomorrow, so sending the form again keeps today in.
    const shownTo = toLocalInput(new Date(new Date(m.to).getTime() + (to ? 0 : 24 * 3600_000)), zone).slice(0, 10);
    return page(
      c,
      "Metrics",
      html`<h1>Speed to lead · ${business.config.name}</h1>
        ${await picker(c, business, METRICS_PATH)}
        <form class="search" method="get" action="${METRICS_PATH}">
          ${c.var.viewer.operator ? html`<input type="hidden" name="business" value="${business.slug}" />` : ""}
          <label for="from" class="muted">From</label><input id="from" name="from" type="date" value="${from ?? shownFrom}" />
          <label for="to" class="muted">To (not included)</label><input id="to" name="to" type="date" value="${to ?? shownTo}" />
          <button type="submit" class="secondary">Show</button>
          <a href="${METRICS_CSV_PATH}?${query.toString()}" download>Download CSV</a>
        </form>
        <p class="muted">Leads that came in from ${inZone(m.from, zone)} to ${inZone(m.to, zone)} (the end not included): <strong data-figure="leads">${m.leads}</strong>.</p>
        <div class="headline" id="headline">
          <section class="panel"><span class="muted">Time to accept, median</span><strong data-figure="tta-p50">${seconds(m.timeToAcceptSeconds.p50)}</strong></section>
          <section class="panel"><span class="muted">Time to accept, 90th percentile</span><strong data-figure="tta-p90">${seconds(m.timeToAcceptSeconds.p90)}</strong></section>
          <section class="panel"><span class="muted">Accepted within window</span><strong data-figure="within-pct">${percent(m.acceptedWithinWindowPct)}</strong>
            <span class="muted">${m.acceptedWithinWindow} of ${m.accepted} accepted</span></section>
          <section class="panel"><span class="muted">Time to offer, median / p90</span><strong data-figure="tto">${seconds(m.timeToOfferSeconds.p50)} / ${seconds(m.timeToOfferSeconds.p90)}</strong></section>
          <section class="panel"><span class="muted">Missed calls recovered</span><strong data-figure="missed">${m.missedCalls.recovered} of ${m.missedCalls.total}</strong>
            <span class="muted">${percent(m.missedCalls.recoveredPct)}</span></section>
          <section class="panel"><span class="muted">Booked rate</span><strong data-figure="booked">${percent(m.outcomes.bookedRate)}</strong>
            <span class="muted">${m.outcomes.booked} booked of ${m.outcomes.closed} closed</span></section>
          <section class="panel"><span class="muted">Escalations</span><strong data-figure="escalations">${m.escalations.events}</strong>
            <span class="muted">on ${m.escalations.leads} leads</span></section>
        </div>
        <div class="grid2">
          ${chart("chart-tta", timeToAcceptChart(m.timeToAcceptDistribution))}
          ${chart("chart-window", withinWindowChart(m.withinWindowByWeek))}
        </div>
        <h2>By member <span class="muted">(the member a lead is with now)</span></h2>
        <table data-table="members"><thead><tr><th>Member</th><th>Leads</th><th>Accepted</th><th>Time to accept p50</th><th>p90</th><th>Within window</th><th>Escalated away</th><th>Rejections</th><th>Closed</th><th>Booked</th></tr></thead><tbody>
          ${m.members.length
            ? m.members.map((x) => html`<tr data-member="${x.memberId}"><td>${name(x.memberId)}</td><td>${x.leads}</td><td>${x.accepted}</td><td>${seconds(x.timeToAcceptSeconds.p50)}</td><td>${seconds(x.timeToAcceptSeconds.p90)}</td>
                <td>${x.acceptedWithinWindow} (${percent(x.acceptedWithinWindowPct)})</td><td>${x.escalations}</td><td>${x.rejections}</td><td>${x.closed}</td><td>${x.booked}</td></tr>`)
            : html`<tr><td colspan="10" class="muted">none</td></tr>`}
        </tbody></table>
        <div class="grid2">
          <section>
            <h2>Outcomes</h2>
            ${counts("Outcomes", "outcome", m.outcomes.byOutcome)}
            <h2>Outcomes by source <span class="muted">(closed leads)</span></h2>
            <table data-table="Outcomes by source"><thead><tr><th>source</th>${outcomeNames.map((o) => html`<th>${o}</th>`)}<th>closed</th><th>booked</th></tr></thead><tbody>
              ${bySource.length
                ? bySource.map((s) => html`<tr><td>${s.source}</td>${outcomeNames.map((o) => html`<td>${s.byOutcome[o] ?? 0}</td>`)}<td>${s.closed}</td><td>${s.booked}</td></tr>`)
                : html`<tr><td colspan="3" class="muted">none</td></tr>`}
            </tbody></table>
            <h2>Rejections by reason</h2>
            ${counts("Rejections by reason", "reason", m.rejections.byReason)}
          </section>
          <section>
            <h2>Leads by source</h2>
            ${counts("By source", "source", m.bySource)}
            <h2>Leads by state</h2>
            ${counts("By state", "state", m.byState)}
          </section>
        </div>`,
    );
  },
};

/** GET /console/metrics.csv: the CSV of GET /api/metrics?format=csv for the page's range. */
export async function metricsCsvDownload(c: ConsoleContext): Promise<Response> {
  const { business, metrics } = await metricsOf(c);
  return new Response(metricsCsv(metrics), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="metrics-${business.slug}.csv"` },
  });
}
