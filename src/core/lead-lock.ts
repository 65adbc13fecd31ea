import { and, eq } from "drizzle-orm";
import { businesses, leads } from "../db/schema/index.ts";
import { LeadNotFound } from "../domain/errors.ts";
import type { BusinessRow, LeadRow } from "./records.ts";
import type { Work } from "./transact.ts";

/**
 * Reads a lead and its business, locking the lead row for the rest of the transaction so two
 * owners answering at once are served one after the other (the first ACCEPT wins).
 */
export async function lockLead(work: Work, leadId: string): Promise<{ lead: LeadRow; business: BusinessRow }> {
  const found = await lockLeadIfExists(work, leadId);
  if (!found) throw new LeadNotFound(leadId);
  return found;
}

/** As lockLead, but null when the lead is gone (a timer outliving its lead is no error). */
export async function lockLeadIfExists(work: Work, leadId: string): Promise<{ lead: LeadRow; business: BusinessRow } | null> {
  const [lead] = await work.tx.select().from(leads).where(eq(leads.id, leadId)).for("update");
  if (!lead) return null;
  const [business] = await work.tx.select().from(businesses).where(eq(businesses.id, lead.businessId));
  return { lead, business: business! };
}

/** The lead a business knows by its short code (what owners type). */
export async function lockLeadByCode(work: Work, businessId: string, code: number): Promise<LeadRow | null> {
  const [lead] = await work.tx
    .select()
    .from(leads)
    .where(and(eq(leads.businessId, businessId), eq(leads.code, code)))
    .for("update");
  return lead ?? null;
}
