import { and, countDistinct, eq, gte, lt, count } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { leads, qaReviews } from "../db/schema/index.ts";
import type { IsoWeekRange } from "../domain/iso-week.ts";

/**
 * How far a business's QA week is (CONTRACT §12): its handoffs (leads first offered in the
 * week, business zone) and how many of them have at least one review. Read by the API and by the
 * reminder, so both count the same way.
 */
export async function qaWeekProgress(db: Db | Tx, businessId: string, range: IsoWeekRange): Promise<{ handoffs: number; reviewed: number }> {
  const [h] = await db
    .select({ n: count() })
    .from(leads)
    .where(and(eq(leads.businessId, businessId), gte(leads.firstOfferedAt, range.start), lt(leads.firstOfferedAt, range.end)));
  const [r] = await db
    .select({ n: countDistinct(qaReviews.leadId) })
    .from(qaReviews)
    .where(and(eq(qaReviews.businessId, businessId), eq(qaReviews.week, range.week)));
  return { handoffs: Number(h?.n ?? 0), reviewed: Number(r?.n ?? 0) };
}
