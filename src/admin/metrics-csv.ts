import type { Metrics } from "./metrics.ts";

/**
 * The metrics as CSV, one figure a row (`scope,metric,key,value`): `scope` is `business` or a
 * member id, `key` the state, channel, reason… a count is broken down by (empty otherwise).
 * Long rather than wide, so a spreadsheet pivot or a script reads every figure the same way.
 */
export function metricsCsv(m: Metrics): string {
  const rows: (string | number | null)[][] = [["scope", "metric", "key", "value"]];
  const add = (scope: string, metric: string, key: string, value: number | null) => rows.push([scope, metric, key, value]);
  const b = "business";
  add(b, "leads", "", m.leads);
  for (const [name, map] of [["by_state", m.byState], ["by_channel", m.byChannel], ["by_source", m.bySource], ["by_urgency", m.byUrgency]] as const) {
    for (const [k, v] of Object.entries(map)) add(b, name, k, v);
  }
  add(b, "time_to_offer_seconds", "p50", m.timeToOfferSeconds.p50);
  add(b, "time_to_offer_seconds", "p90", m.timeToOfferSeconds.p90);
  add(b, "time_to_accept_seconds", "p50", m.timeToAcceptSeconds.p50);
  add(b, "time_to_accept_seconds", "p90", m.timeToAcceptSeconds.p90);
  for (const d of m.timeToAcceptDistribution) add(b, "time_to_accept_distribution", d.upToSeconds === null ? "longer" : `le_${d.upToSeconds}`, d.leads);
  add(b, "accepted", "", m.accepted);
  add(b, "accepted_within_window", "", m.acceptedWithinWindow);
  add(b, "accepted_within_window_pct", "", m.acceptedWithinWindowPct);
  for (const w of m.withinWindowByWeek) {
    add(b, "accepted_by_week", w.week, w.accepted);
    add(b, "accepted_within_window_by_week", w.week, w.withinWindow);
  }
  add(b, "escalations", "events", m.escalations.events);
  add(b, "escalations", "leads", m.escalations.leads);
  add(b, "rejections", "", m.rejections.total);
  for (const [k, v] of Object.entries(m.rejections.byReason)) add(b, "rejections_by_reason", k, v);
  add(b, "missed_calls", "", m.missedCalls.total);
  add(b, "missed_calls_recovered", "", m.missedCalls.recovered);
  add(b, "missed_calls_recovered_pct", "", m.missedCalls.recoveredPct);
  add(b, "closed", "", m.outcomes.closed);
  add(b, "booked", "", m.outcomes.booked);
  add(b, "booked_rate_pct", "", m.outcomes.bookedRate);
  for (const [k, v] of Object.entries(m.outcomes.byOutcome)) add(b, "by_outcome", k, v);
  add(b, "completed_by_customer", "", m.completedByCustomer.leads);
  add(b, "completed_by_customer_median_seconds", "", m.completedByCustomer.medianSecondsToComplete);
  for (const x of m.members) {
    add(x.memberId, "leads", "", x.leads);
    add(x.memberId, "accepted", "", x.accepted);
    add(x.memberId, "time_to_accept_seconds", "p50", x.timeToAcceptSeconds.p50);
    add(x.memberId, "time_to_accept_seconds", "p90", x.timeToAcceptSeconds.p90);
    add(x.memberId, "accepted_within_window", "", x.acceptedWithinWindow);
    add(x.memberId, "accepted_within_window_pct", "", x.acceptedWithinWindowPct);
    add(x.memberId, "escalations", "", x.escalations);
    add(x.memberId, "rejections", "", x.rejections);
    add(x.memberId, "closed", "", x.closed);
    add(x.memberId, "booked", "", x.booked);
  }
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, +, -, @) is prefixed with '. */
function cell(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
