import { and, asc, eq, or, sql } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { leads } from "../db/schema/index.ts";
import type { LeadRow } from "../core/records.ts";

/** The lead a business knows by its short code. */
export async function leadByCode(db: Executor, businessId: string, code: number): Promise<LeadRow | null> {
  const [lead] = await db.select().from(leads).where(and(eq(leads.businessId, businessId), eq(leads.code, code)));
  return lead ?? null;
}

/**
 * A member's leads: waiting for their ACCEPT (offered with them among the offerees, or an accepted
 * lead being reassigned to them), and every open lead they own (accepted by them).
 */
export async function leadsOf(db: Executor, businessId: string, memberId: string): Promise<{ waiting: LeadRow[]; owned: LeadRow[] }> {
  const waiting = await db
    .select()
    .from(leads)
    .where(
      and(
        eq(leads.businessId, businessId),
        or(
          and(eq(leads.state, "offered"), sql`${leads.offeredTo} @> ${JSON.stringify([memberId])}::jsonb`),
          and(eq(leads.state, "accepted"), eq(leads.pendingOwnerId, memberId)),
        ),
      ),
    )
    .orderBy(asc(leads.code));
  const owned = await db
    .select()
    .from(leads)
    .where(and(eq(leads.businessId, businessId), eq(leads.state, "accepted"), eq(leads.ownerId, memberId)))
    .orderBy(asc(leads.code));
  return { waiting, owned };
}
