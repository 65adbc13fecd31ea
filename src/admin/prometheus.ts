import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";

/**
 * `GET /metrics` for Prometheus (text exposition format 0.0.4), read from the database rather than
 * counted in memory: a lead's history is append-only, so counts of its entries are true counters
 * that survive restarts and agree across processes. Lead counters and the time-to-accept
 * histogram are per business; webhook and send outcomes too. docs/qa-metrics.md lists them.
 */

/** Time-to-accept buckets, seconds: the SOP's windows (5 and 15 min) and the 5-minute speed-to-lead mark among them. */
export const ACCEPT_BUCKETS = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 86400];

/** Lead history entries exposed as counters, by the metric they become. */
const LEAD_COUNTERS: Record<string, { type: string; help: string }> = {
  handoff_leads_created_total: { type: "created", help: "Leads created." },
  handoff_leads_offered_total: { type: "offered", help: "Offers made (a lead offered again after a rejection counts again)." },
  handoff_leads_accepted_total: { type: "accepted", help: "Offers accepted." },
  handoff_leads_rejected_total: { type: "rejected", help: "Offers rejected back to intake." },
  handoff_leads_escalated_total: { type: "escalated", help: "Escalations (each rung counts)." },
  handoff_leads_closed_total: { type: "closed", help: "Leads closed with an outcome." },
  handoff_qa_reviews_total: { type: "qa_reviewed", help: "QA reviews recorded." },
};

type Row = Record<string, unknown>;
const rowsOf = (result: unknown): Row[] => (Array.isArray(result) ? result : ((result as { rows?: Row[] }).rows ?? []));

/** A label value escaped as the format asks (backslash, quote, newline). */
const label = (v: unknown) => String(v ?? "").replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (pairs: Record<string, unknown>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(",")}}`;

/** The whole exposition, one query per family. */
export async function prometheusText(db: Db): Promise<string> {
  const out: string[] = [];
  const family = (name: string, type: "counter" | "gauge" | "histogram", help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  const types = Object.values(LEAD_COUNTERS).map((c) => c.type);
  const counts = rowsOf(
    await db.execute(sql`select b.slug, e.type, count(*)::float8 as n
      from lead_events e join leads l on l.id = e.lead_id join businesses b on b.id = l.business_id
      where e.type in (${sql.join(types.map((t) => sql`${t}`), sql`, `)}) group by 1, 2 order by 1, 2`),
  );
  for (const [name, { type, help }] of Object.entries(LEAD_COUNTERS)) {
    family(name, "counter", help);
    for (const r of counts.filter((c) => c.type === type)) out.push(`${name}${labels({ business: r.slug })} ${Number(r.n)}`);
  }

  const buckets = ACCEPT_BUCKETS.map((le, i) => sql`count(*) filter (where tta <= ${le})::float8 as b${sql.raw(String(i))}`);
  const hist = rowsOf(
    await db.execute(sql`select slug, ${sql.join(buckets, sql`, `)}, count(*)::float8 as n, coalesce(sum(tta), 0)::float8 as total
      from (select b.slug, extract(epoch from (l.accepted_at - l.offered_at))::float8 as tta
            from leads l join businesses b on b.id = l.business_id where l.accepted_at is not null and l.offered_at is not null) a
      group by slug order by slug`),
  );
  family("handoff_time_to_accept_seconds", "histogram", "From the offer to its acceptance, per accepted lead.");
  for (const r of hist) {
    ACCEPT_BUCKETS.forEach((le, i) => out.push(`handoff_time_to_accept_seconds_bucket${labels({ business: r.slug, le })} ${Number(r[`b${i}`])}`));
    out.push(`handoff_time_to_accept_seconds_bucket${labels({ business: r.slug, le: "+Inf" })} ${Number(r.n)}`);
    out.push(`handoff_time_to_accept_seconds_sum${labels({ business: r.slug })} ${Number(r.total)}`);
    out.push(`handoff_time_to_accept_seconds_count${labels({ business: r.slug })} ${Number(r.n)}`);
  }

  const inbound = rowsOf(
    await db.execute(sql`select provider, status, origin, count(*)::float8 as n from inbound_events group by 1, 2, 3 order by 1, 2, 3`),
  );
  family("handoff_webhooks_received", "gauge", "Stored provider events by provider, processing status and origin (webhook or reconciliation).");
  for (const r of inbound) out.push(`handoff_webhooks_received${labels({ provider: r.provider, status: r.status, origin: r.origin })} ${Number(r.n)}`);

  const rejected = rowsOf(await db.execute(sql`select business, provider, reason, count::float8 as n from webhook_rejections order by 1, 2, 3`));
  family("handoff_webhooks_rejected_total", "counter", "Webhooks refused before anything was stored (bad signature, unknown business…).");
  for (const r of rejected) out.push(`handoff_webhooks_rejected_total${labels({ business: r.business, provider: r.provider, reason: r.reason })} ${Number(r.n)}`);

  const sends = rowsOf(
    await db.execute(sql`select b.slug, m.channel, m.status, count(*)::float8 as n
      from outbound_messages m join businesses b on b.id = m.business_id group by 1, 2, 3 order by 1, 2, 3`),
  );
  family("handoff_messages", "gauge", "Outbound texts and calls by business, channel and current status (queued, sent, delivered, failed, suppressed, dry-run…).");
  for (const r of sends) out.push(`handoff_messages${labels({ business: r.slug, channel: r.channel, status: r.status })} ${Number(r.n)}`);

  const events = rowsOf(
    await db.execute(sql`select b.slug, d.status, count(*)::float8 as n from event_deliveries d join businesses b on b.id = d.business_id group by 1, 2 order by 1, 2`),
  );
  family("handoff_event_deliveries", "gauge", "Outbound events to the businesses' webhooks by status (pending, delivered, failed).");
  for (const r of events) out.push(`handoff_event_deliveries${labels({ business: r.slug, status: r.status })} ${Number(r.n)}`);

  return `${out.join("\n")}\n`;
}
