/**
 * Webhook arrival → offer handed to the messaging port, per lead, read from the timestamps the
 * gateway stores (so it is the same figure whichever runtime ran the gateway: Node or workerd).
 *
 * - arrival: `inbound_events.received_at`, set by the webhook route once the body is read (before
 *   verification and the insert);
 * - offer: the earliest `outbound_messages.sent_at` of purpose `offer` for the event's lead, set
 *   right after `messaging.send()` returned (dry-run returns at once, so it is the hand-off).
 */
import type { Sql } from "./intake.ts";

export interface OfferLatency {
  /** Stored events of this load (by the keys it sent). */
  events: number;
  /** Of those, how many had an offer sent. */
  offered: number;
  /** received_at → first offer sent_at, ms ascending. */
  arrival: number[];
  /** The sender's due time → first offer sent_at, ms ascending. */
  due: number[];
  /** Events without a sent offer, by what became of them. */
  unoffered: Map<string, number>;
}

/** Per intake event received since `since` (epoch ms), its first offer's hand-off; only the keys of `dueAt`. */
export async function offerLatency(sql: Sql, since: number, dueAt: Map<string, number>): Promise<OfferLatency> {
  // `why`, for an event without a sent offer: its status, its lead's state and that lead's texts.
  const rows = await sql<{ ext: string | null; received: number; sent: number | null; why: string }[]>`
    select ie.raw_body::jsonb ->> 'externalId' as ext,
           extract(epoch from ie.received_at) * 1000 as received,
           extract(epoch from min(om.sent_at) filter (where om.purpose = 'offer')) * 1000 as sent,
           'event ' || ie.status || ', lead ' || coalesce(min(l.state), 'none') || ', texts ' ||
             coalesce(string_agg(distinct om.purpose || ':' || om.status, ' '), 'none') as why
    from inbound_events ie
    left join leads l on l.id = ie.lead_id
    left join outbound_messages om on om.lead_id = ie.lead_id
    where ie.provider = 'intake' and ie.received_at >= to_timestamp(${since / 1000})
    group by ie.id`;
  const out: OfferLatency = { events: 0, offered: 0, arrival: [], due: [], unoffered: new Map() };
  for (const r of rows) {
    const due = r.ext ? dueAt.get(r.ext) : undefined;
    if (due === undefined) continue;
    out.events++;
    if (r.sent === null) {
      out.unoffered.set(r.why, (out.unoffered.get(r.why) ?? 0) + 1);
      continue;
    }
    out.offered++;
    out.arrival.push(Number(r.sent) - Number(r.received));
    out.due.push(Number(r.sent) - due);
  }
  out.arrival.sort((a, b) => a - b);
  out.due.sort((a, b) => a - b);
  return out;
}

/** Milliseconds as the offer tables print them: "12", "4.54 s", "35.1 s", "n/a". */
export const ms = (n: number) => (Number.isFinite(n) ? (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)}`) : "n/a");
