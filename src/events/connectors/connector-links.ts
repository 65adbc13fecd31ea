import { and, eq } from "drizzle-orm";
import type { Deps } from "../../core/deps.ts";
import { connectorLinks } from "../../db/schema/index.ts";
import type { ConnectorName } from "../../domain/integrations-config.ts";

/** What a connector attempt came to, like a webhook POST's, with what it made for the timeline. */
export type ConnectorResult = { ok: true; status: number; detail: Record<string, string> } | { ok: false; status: number | null; error: string };

/** Each call may take `timeoutMs`; all of one attempt's calls together `budgetMs`. */
export interface ConnectorLimits {
  timeoutMs: number;
  budgetMs: number;
}

/** The lead as an event body carries it, in the fields connectors read. */
export interface LeadShown {
  id: string;
  code: number;
  business: string;
  fullName: string | null;
  phone: string | null;
  serviceAddress: string | null;
  market: string | null;
  serviceType: string | null;
  summaryNotes: string | null;
  outcome: string | null;
}

/** The ids a connector made for the lead so far (empty before its first success). */
export async function readLink(deps: Deps, leadId: string, connector: ConnectorName): Promise<Record<string, string>> {
  const [row] = await deps.db
    .select()
    .from(connectorLinks)
    .where(and(eq(connectorLinks.leadId, leadId), eq(connectorLinks.connector, connector)));
  return { ...row?.external };
}

/** Stores them the moment the other tool gives one, so a retry continues where the last attempt stopped. */
export async function writeLink(deps: Deps, leadId: string, connector: ConnectorName, external: Record<string, string>): Promise<void> {
  const now = deps.clock.now();
  await deps.db
    .insert(connectorLinks)
    .values({ leadId, connector, external, updatedAt: now })
    .onConflictDoUpdate({ target: [connectorLinks.leadId, connectorLinks.connector], set: { external, updatedAt: now } });
}
