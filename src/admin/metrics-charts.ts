/**
 * Charts of the metrics as plain SVG strings, for the console to embed (CONTRACT §12: "drawn
 * server-side as SVG"), each with its numbers as a table so nothing is only in the picture. Pure:
 * no DOM, no library; every text is escaped, so a member id or a week label cannot inject markup.
 */

/** One bar: a label and a value. */
export interface Bar {
  label: string;
  value: number;
}

/** A chart: the SVG, and the same numbers as rows of a table (header first). */
export interface Chart {
  title: string;
  svg: string;
  table: { head: string[]; rows: string[][] };
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 28, right: 12, bottom: 44, left: 44 };

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const round = (n: number) => Math.round(n * 10) / 10;

/** A vertical bar chart with a y axis from 0 to `max` (at least the largest value), values above the bars. */
function barChart(title: string, bars: Bar[], opts: { max?: number; format: (v: number) => string; yLabel: string }): string {
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const max = Math.max(opts.max ?? 0, ...bars.map((b) => b.value), 1);
  const step = bars.length ? innerW / bars.length : innerW;
  const barW = Math.max(2, step * 0.7);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escape(title)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${escape(title)}</title>`,
    `<text x="${PAD.left}" y="16" font-size="13" font-weight="600">${escape(title)}</text>`,
    `<line x1="${PAD.left}" y1="${PAD.top + innerH}" x2="${PAD.left + innerW}" y2="${PAD.top + innerH}" stroke="#888"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + innerH}" stroke="#888"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${escape(opts.format(max))}</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + innerH}" text-anchor="end">${escape(opts.format(0))}</text>`,
    `<text x="12" y="${PAD.top + innerH / 2}" transform="rotate(-90 12 ${PAD.top + innerH / 2})" text-anchor="middle">${escape(opts.yLabel)}</text>`,
  ];
  bars.forEach((b, i) => {
    const h = (Math.max(0, b.value) / max) * innerH;
    const x = PAD.left + i * step + (step - barW) / 2;
    const y = PAD.top + innerH - h;
    parts.push(
      `<rect x="${round(x)}" y="${round(y)}" width="${round(barW)}" height="${round(h)}" fill="#3b6fb6"><title>${escape(`${b.label}: ${opts.format(b.value)}`)}</title></rect>`,
      `<text x="${round(x + barW / 2)}" y="${round(y - 3)}" text-anchor="middle">${escape(opts.format(b.value))}</text>`,
      `<text x="${round(x + barW / 2)}" y="${PAD.top + innerH + 14}" text-anchor="middle">${escape(b.label)}</text>`,
    );
  });
  if (!bars.length) parts.push(`<text x="${PAD.left + innerW / 2}" y="${PAD.top + innerH / 2}" text-anchor="middle" fill="#666">no data</text>`);
  parts.push("</svg>");
  return parts.join("");
}

/** `le` seconds as a bucket label: `≤ 5 min`. */
function upTo(seconds: number): string {
  if (seconds < 60) return `≤ ${seconds} s`;
  if (seconds < 3600) return `≤ ${seconds / 60} min`;
  return `≤ ${seconds / 3600} h`;
}

/**
 * The time-to-accept distribution: accepted leads per bucket (`upToSeconds` is the bucket's upper
 * bound, null for "longer"), non-cumulative, in the order given.
 */
export function timeToAcceptChart(buckets: { upToSeconds: number | null; leads: number }[]): Chart {
  const title = "Time to accept";
  const bars = buckets.map((b) => ({ label: b.upToSeconds === null ? "longer" : upTo(b.upToSeconds), value: b.leads }));
  return {
    title,
    svg: barChart(title, bars, { format: (v) => String(Math.round(v)), yLabel: "leads" }),
    table: { head: ["accepted within", "leads"], rows: bars.map((b) => [b.label, String(b.value)]) },
  };
}

/** The share of accepted leads accepted within their window, week by week (percent, null for a week with none accepted). */
export function withinWindowChart(weeks: { week: string; accepted: number; withinWindow: number }[]): Chart {
  const title = "Accepted within window, by week";
  const pct = (w: { accepted: number; withinWindow: number }) => (w.accepted ? Math.round((w.withinWindow / w.accepted) * 1000) / 10 : null);
  const bars = weeks.map((w) => ({ label: w.week.replace(/^\d{4}-/, ""), value: pct(w) ?? 0 }));
  return {
    title,
    svg: barChart(title, bars, { max: 100, format: (v) => `${v}%`, yLabel: "% within window" }),
    table: {
      head: ["week", "accepted", "within window", "share"],
      rows: weeks.map((w) => [w.week, String(w.accepted), String(w.withinWindow), pct(w) === null ? "–" : `${pct(w)}%`]),
    },
  };
}
