import { eq } from "drizzle-orm";
import { leads } from "../db/schema/index.ts";
import { missingFields, type FieldSources, type LeadFields } from "../domain/lead.ts";
import { boundFields } from "../domain/storable-text.ts";
import { assertTransition } from "../domain/transitions.ts";
import type { Deps } from "../core/deps.ts";
import { lockLead } from "../core/lead-lock.ts";
import { routeIfReady } from "../routing/route-if-ready.ts";
import { fieldsOf, type LeadRow } from "../core/records.ts";
import { recordEvent, transact } from "../core/transact.ts";

/**
 * Fills or corrects fields (PATCH). A lead with intake that is now complete is routed at once;
 * on an offered or accepted lead the change is recorded as movement, not a re-route.
 */
export async function updateLead(
  deps: Deps,
  leadId: string,
  input: Partial<LeadFields>,
  opts: { actor: string; source: string; nextActionDueAt?: Date },
): Promise<LeadRow> {
  const changes = boundFields(input);
  return transact(deps, async (work) => {
    const { lead, business } = await lockLead(work, leadId);
    assertTransition("update", lead.state, lead.code);
    const next = { ...fieldsOf(lead), ...changes };
    const sources: FieldSources = { ...lead.fieldSources };
    for (const name of Object.keys(changes) as (keyof LeadFields)[]) sources[name] = opts.source;
    const [updated] = await work.tx
      .update(leads)
      .set({
        ...changes,
        ...(opts.nextActionDueAt && { nextActionDueAt: opts.nextActionDueAt }),
        fieldSources: sources,
        updatedAt: work.now,
        ...(lead.state !== "intake" && { lastActionAt: work.now }),
      })
      .where(eq(leads.id, lead.id))
      .returning();
    const fields = [...Object.keys(changes), ...(opts.nextActionDueAt ? ["nextActionDueAt"] : [])];
    await recordEvent(work, lead.id, "fields_updated", opts.actor, {
      fields,
      missingFields: missingFields(next),
      ...(opts.nextActionDueAt && { nextActionDueAt: opts.nextActionDueAt.toISOString() }),
    });
    // A due time given with the fields that complete an intake lead is the one its offer promises.
    return routeIfReady(work, business, updated!, opts.actor, { ownerId: null, due: opts.nextActionDueAt ?? null });
  });
}
