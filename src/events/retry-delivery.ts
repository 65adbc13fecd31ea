import { and, eq, isNull, lte, ne, or } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { eventDeliveries } from "../db/schema/index.ts";
import { DeliveryInFlight, DeliveryNotFound } from "../domain/errors.ts";

/**
 * An operator's retry (`POST /api/deliveries/:id/retry`): the delivery is pending again with a
 * fresh retry schedule and due now, and an attempt starts after the answer. Any status may be
 * retried (a receiver that lost a delivered event asks for it again); while it is pending, later
 * events of its lead for the same subscription wait behind it, as always. Refused while an
 * attempt is in flight, whose outcome would otherwise be lost.
 */
export async function retryDelivery(deps: Deps, id: string): Promise<void> {
  const now = deps.clock.now();
  const [row] = await deps.db
    .update(eventDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null, deliveredAt: null, updatedAt: now })
    // Not in flight: not pending, or pending with no live lease.
    .where(and(eq(eventDeliveries.id, id), or(ne(eventDeliveries.status, "pending"), isNull(eventDeliveries.lockedUntil), lte(eventDeliveries.lockedUntil, now))))
    .returning({ id: eventDeliveries.id });
  if (!row) {
    const [exists] = await deps.db.select({ id: eventDeliveries.id }).from(eventDeliveries).where(eq(eventDeliveries.id, id));
    throw exists ? new DeliveryInFlight(id) : new DeliveryNotFound(id);
  }
  deps.events.deliver([id]);
}
