import { and, asc, isNotNull, lt, ne, or } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { claimableMessage, SEND_LEASE_MS } from "../core/outbox-claim.ts";
import { outboundMessages } from "../db/schema/index.ts";

/**
 * Retries what the outbox still owes: rows left queued (a crash before sending, a transient
 * failure), customer texts whose quiet hours are over, and sends whose sender died mid-send
 * (lease expired). Called on a timer (Node) and by the Workers cron. Sends through
 * `deps.outbox`, so what a failed send leads to is decided where it was wired.
 */
export async function sweepOutbox(deps: Deps, olderThanMs = 5_000, leaseMs = SEND_LEASE_MS): Promise<number> {
  const now = deps.clock.now();
  // Fresh rows are being sent by the transaction that queued them; leave them a moment.
  const cutoff = new Date(now.getTime() - olderThanMs);
  const rows = await deps.db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(and(claimableMessage(now), or(ne(outboundMessages.status, "queued"), lt(outboundMessages.updatedAt, cutoff), isNotNull(outboundMessages.sendAfter))))
    .orderBy(asc(outboundMessages.createdAt))
    .limit(100);
  await deps.outbox.deliver(rows.map((r) => r.id), { leaseMs });
  return rows.length;
}
