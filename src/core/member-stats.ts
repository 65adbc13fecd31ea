/** The round-robin memory: when each member of a business was last offered a lead. */
import { eq, sql } from "drizzle-orm";
import { memberStats } from "../db/schema/index.ts";
import type { Work } from "./transact.ts";

/** When each member of the business was last offered a lead (first offers and escalations alike). */
export async function lastOffers(work: Work, businessId: string): Promise<Map<string, Date>> {
  const rows = await work.tx.select().from(memberStats).where(eq(memberStats.businessId, businessId));
  return new Map(rows.map((r) => [r.memberId, r.lastOfferedAt]));
}

/** Records that `memberId` was offered a lead now, so round robin passes them over next. */
export async function noteOffered(work: Work, businessId: string, memberId: string): Promise<void> {
  await work.tx
    .insert(memberStats)
    .values({ businessId, memberId, lastOfferedAt: work.now })
    .onConflictDoUpdate({ target: [memberStats.businessId, memberStats.memberId], set: { lastOfferedAt: sql`excluded.last_offered_at` } });
}
