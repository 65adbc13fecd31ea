import { and, eq, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { leads } from "../db/schema/index.ts";
import type { BusinessConfig } from "../domain/business-config.ts";
import { LeadNotFound } from "../domain/errors.ts";

/** Roles that see every lead of their business in the console (CONTRACT §11). */
export const WHOLE_BUSINESS_ROLES: readonly string[] = ["manager", "office_lead", "dispatch", "intake"];

/**
 * Which leads a console user may see and act on: every business (the operator), one business,
 * or one member's own leads there (offered to them, owned by them, or being reassigned to them).
 */
export type LeadScope = { kind: "all" } | { kind: "business"; businessId: string } | { kind: "member"; businessId: string; memberId: string };

/** The scope of a team member, from the roles the business's current config gives them. */
export function memberScope(config: BusinessConfig, businessId: string, memberId: string): LeadScope {
  const member = config.team.find((m) => m.id === memberId);
  const whole = member?.roles.some((r) => WHOLE_BUSINESS_ROLES.includes(r)) ?? false;
  return whole ? { kind: "business", businessId } : { kind: "member", businessId, memberId };
}

/** True when the scope sees the business's whole board, its review, team and config. */
export const seesWholeBusiness = (scope: LeadScope) => scope.kind !== "member";

/** The SQL condition on `leads` a scope allows; undefined for the operator's "everything". */
export function scopeCondition(scope: LeadScope): SQL | undefined {
  if (scope.kind === "all") return undefined;
  if (scope.kind === "business") return eq(leads.businessId, scope.businessId);
  const mine = or(
    sql`${leads.offeredTo} @> ${JSON.stringify([scope.memberId])}::jsonb`,
    eq(leads.ownerId, scope.memberId),
    eq(leads.pendingOwnerId, scope.memberId),
  );
  return and(eq(leads.businessId, scope.businessId), mine);
}

/**
 * The lead if the scope may see it; LeadNotFound (404) otherwise, the same answer as a lead that
 * does not exist, so a URL tells nobody what is behind it.
 */
export async function requireVisibleLead(db: Executor, leadId: string, scope: LeadScope): Promise<void> {
  const condition = scopeCondition(scope);
  const [row] = await db.select({ id: leads.id }).from(leads).where(condition ? and(eq(leads.id, leadId), condition) : eq(leads.id, leadId));
  if (!row) throw new LeadNotFound(leadId);
}
