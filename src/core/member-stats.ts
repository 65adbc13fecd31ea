/** The round-robin memory: when each member of a business was last offered a lead, and their weighted pass. */
import { and, count, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { leads, memberStats } from "../db/schema/index.ts";
import type { RoundRobinMemory } from "../domain/round-robin.ts";
import { flushSoftState, type Work } from "./transact.ts";

/** When each member of the business was last offered a lead (first offers and escalations alike). */
export async function lastOffers(work: Work, businessId: string): Promise<Map<string, Date>> {
  return (await roundRobinMemory(work, businessId)).lastOfferedAt;
}

/** Last offers and weighted passes of the business's members, as routing reads them. */
export async function roundRobinMemory(work: Work, businessId: string): Promise<RoundRobinMemory & { lastOfferedAt: Map<string, Date> }> {
  // An offer made earlier in this transaction counts (noteOffered defers its write).
  await flushSoftState(work);
  const rows = await work.tx.select().from(memberStats).where(eq(memberStats.businessId, businessId));
  return {
    lastOfferedAt: new Map(rows.map((r) => [r.memberId, r.lastOfferedAt])),
    pass: new Map(rows.filter((r) => r.pass !== null).map((r) => [r.memberId, r.pass!])),
  };
}

/**
 * Open leads (offered or accepted, not closed) each member of the business owns, counted in the
 * transaction routing runs in, for `maxOpen`. Routings of the business that count are serialised
 * for the rest of the transaction (an advisory lock, released by the commit), so two leads routed
 * at once cannot both take a member's last slot: the second counts after the first committed.
 * Taken after the intake locks (receive-lead.ts) and with the lead's own row lock, never before them.
 */
export async function openLeadCounts(work: Work, businessId: string): Promise<Map<string, number>> {
  await work.tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`routing-caps:${businessId}`}, 0))`);
  const rows = await work.tx
    .select({ ownerId: leads.ownerId, open: count() })
    .from(leads)
    .where(and(eq(leads.businessId, businessId), inArray(leads.state, ["offered", "accepted"]), isNotNull(leads.ownerId)))
    .groupBy(leads.ownerId);
  return new Map(rows.map((r) => [r.ownerId!, Number(r.open)]));
}

/**
 * Records that `memberId` was offered a lead now, so round robin passes them over next; `pass`
 * (routing's weighted choice) is stored when given and kept otherwise. Written after the
 * transaction commits (transact.ts `soft`, issue 16): inside it, the upsert locked the member's
 * row until the commit, and every lead of the business routed to the same member at that moment
 * waited for the lock (7 sessions on Lock:transactionid with two workers on one business).
 */
export async function noteOffered(work: Work, businessId: string, memberId: string, pass?: number): Promise<void> {
  const now = work.now;
  work.fx.soft.push(async (db) => {
    await db
      .insert(memberStats)
      .values({ businessId, memberId, lastOfferedAt: now, pass: pass ?? null })
      .onConflictDoUpdate({
        target: [memberStats.businessId, memberStats.memberId],
        set: { lastOfferedAt: now, ...(pass !== undefined && { pass }) },
      });
  });
}
