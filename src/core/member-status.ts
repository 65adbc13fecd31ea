/** Members' runtime status (AWAY / BACK): kept in the database, beside the config, never in it. */
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { memberStatuses } from "../db/schema/index.ts";
import type { Work } from "./transact.ts";

/** Ids of the business's members who texted AWAY and not BACK since. */
export async function awayMemberIds(db: Executor, businessId: string): Promise<Set<string>> {
  const rows = await db
    .select({ memberId: memberStatuses.memberId })
    .from(memberStatuses)
    .where(and(eq(memberStatuses.businessId, businessId), eq(memberStatuses.away, true)));
  return new Set(rows.map((r) => r.memberId));
}

/** Records AWAY (true) or BACK (false) for a member; returns whether that changed anything. */
export async function setMemberAway(work: Work, businessId: string, memberId: string, away: boolean): Promise<boolean> {
  const [before] = await work.tx
    .select({ away: memberStatuses.away })
    .from(memberStatuses)
    .where(and(eq(memberStatuses.businessId, businessId), eq(memberStatuses.memberId, memberId)))
    .for("update");
  await work.tx
    .insert(memberStatuses)
    .values({ businessId, memberId, away, changedAt: work.now })
    .onConflictDoUpdate({
      target: [memberStatuses.businessId, memberStatuses.memberId],
      set: { away: sql`excluded.away`, changedAt: sql`excluded.changed_at` },
    });
  return (before?.away ?? false) !== away;
}
