import { eq, inArray } from "drizzle-orm";
import { businesses, eventDeliveries, leads } from "../db/schema/index.ts";
import type { OutboundEventType } from "../domain/outbound-event.ts";
import { CONNECTOR_EVENTS, connectorId, connectorUrl, CONNECTORS } from "../domain/integrations-config.ts";
import { toApiLead } from "./records.ts";
import type { Tx } from "../db/client.ts";

/** An outbound event a transaction announced, written to the outbox just before it commits. */
export interface AnnouncedEvent {
  leadId: string;
  type: OutboundEventType;
  /** More of `data` beside the lead (`review` for `qa.reviewed`). */
  data?: Record<string, unknown>;
}

/**
 * The body every subscriber gets (CONTRACT §13): `{ type, timestamp, data: { lead } }`, the lead
 * as the API shows it (without its history, which `GET /api/leads/:id` has).
 */
export function eventBody(type: OutboundEventType, at: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/**
 * Writes one outbox row per announced event and subscribed webhook, inside the transaction that
 * made the change, so an event exists exactly when its change committed. Runs as the last step
 * of the transaction: the lead in the body is the lead as committed, even when the entry was
 * recorded before the row was updated. Returns the ids to attempt after commit.
 */
export async function writeOutboundEvents(tx: Tx, now: Date, announced: AnnouncedEvent[]): Promise<string[]> {
  if (!announced.length) return [];
  const leadIds = [...new Set(announced.map((e) => e.leadId))];
  const rows = await tx
    .select({ lead: leads, business: businesses })
    .from(leads)
    .innerJoin(businesses, eq(businesses.id, leads.businessId))
    .where(inArray(leads.id, leadIds));
  const byLead = new Map(rows.map((r) => [r.lead.id, r]));
  const ids: string[] = [];
  for (const event of announced) {
    const found = byLead.get(event.leadId);
    if (!found) continue;
    const config = found.business.config;
    const subscribed: { id: string; url: string }[] = (config.webhooks ?? []).filter((w) => w.events.includes(event.type));
    // A connector is one more subscriber, to the events it acts on, delivered (in order, retried) the same way.
    if ((CONNECTOR_EVENTS as readonly string[]).includes(event.type)) {
      const integrations = config.integrations ?? {};
      for (const name of CONNECTORS) if (integrations[name]) subscribed.push({ id: connectorId(name), url: connectorUrl(name, integrations) });
    }
    if (!subscribed.length) continue;
    const body = eventBody(event.type, now, { lead: toApiLead(found.lead, found.business), ...event.data });
    // One insert per row, in the order announced, so `seq` follows the order of the changes.
    for (const sub of subscribed) {
      const [row] = await tx
        .insert(eventDeliveries)
        .values({
          businessId: found.business.id,
          leadId: found.lead.id,
          webhookId: sub.id,
          url: sub.url,
          eventType: event.type,
          body,
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: eventDeliveries.id });
      ids.push(row!.id);
    }
  }
  return ids;
}
