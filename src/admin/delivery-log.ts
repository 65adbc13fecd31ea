import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { businesses, eventDeliveries } from "../db/schema/index.ts";
import type { DeliveryStatus } from "../domain/outbound-event.ts";
import { decodeCursor, encodeCursor } from "../domain/page-cursor.ts";
import { DeliveryNotFound } from "../domain/errors.ts";
import { AppError } from "../errors.ts";
import { loadBusiness } from "./businesses.ts";

type DeliveryRow = typeof eventDeliveries.$inferSelect;

/** A delivery as the API shows it: where it went, how it stands, what it carried. */
export function toApiDelivery(row: DeliveryRow, slug: string) {
  return {
    id: row.id,
    business: slug,
    leadId: row.leadId,
    webhookId: row.webhookId,
    url: row.url,
    event: row.eventType,
    status: row.status,
    attempts: row.attempts,
    /** When the next attempt is due; null once delivered or failed. */
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    payload: JSON.parse(row.body) as Record<string, unknown>,
  };
}

/** One delivery, or DeliveryNotFound. */
export async function getDelivery(db: Db, id: string) {
  const [row] = await db
    .select({ d: eventDeliveries, slug: businesses.slug })
    .from(eventDeliveries)
    .innerJoin(businesses, eq(businesses.id, eventDeliveries.businessId))
    .where(eq(eventDeliveries.id, id));
  if (!row) throw new DeliveryNotFound(id);
  return toApiDelivery(row.d, row.slug);
}

/** One page of the delivery log, newest first, and the cursor of the next page (null at the end). */
export async function deliveriesPage(
  db: Db,
  filter: { business?: string; status?: DeliveryStatus; lead?: string; cursor?: string; limit: number },
) {
  if (filter.business) await loadBusiness(db, filter.business);
  const where: SQL[] = [];
  if (filter.business) where.push(eq(businesses.slug, filter.business));
  if (filter.status) where.push(eq(eventDeliveries.status, filter.status));
  if (filter.lead) where.push(eq(eventDeliveries.leadId, filter.lead));
  if (filter.cursor) {
    const key = decodeCursor(filter.cursor, ["number"]);
    if (!key) {
      throw new AppError("validation_failed", "The query is invalid.", [
        { path: "cursor", message: "not a cursor of this listing: pass the nextCursor of the previous page" },
      ]);
    }
    where.push(sql`(${eventDeliveries.createdAt}, ${eventDeliveries.seq}) < (${key[0]}::timestamptz, ${key[1]}::bigint)`);
  }
  const rows = await db
    .select({ d: eventDeliveries, slug: businesses.slug })
    .from(eventDeliveries)
    .innerJoin(businesses, eq(businesses.id, eventDeliveries.businessId))
    .where(and(...where))
    // Ties broken by `seq`, the order the events were written: one change's events share a time.
    .orderBy(desc(eventDeliveries.createdAt), desc(eventDeliveries.seq))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1)?.d;
  return {
    deliveries: page.map(({ d, slug }) => toApiDelivery(d, slug)),
    nextCursor: rows.length > filter.limit && last ? encodeCursor([last.createdAt.toISOString(), last.seq]) : null,
  };
}
