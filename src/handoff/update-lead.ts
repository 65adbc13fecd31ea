import { eq } from "drizzle-orm";
import { leads } from "../db/schema/index.ts";
import { missingFields, type FieldSources, type LeadFields } from "../domain/lead.ts";
import { boundFields, capText, cleanText } from "../domain/storable-text.ts";
import { scheduleFollowUp, scheduleNextActionReminder } from "./next-action-timers.ts";
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
  opts: { actor: string; source: string; nextActionDueAt?: Date; nextAction?: string },
): Promise<LeadRow> {
  const changes = boundFields(input);
  const nextAction = opts.nextAction === undefined ? undefined : capText(cleanText(opts.nextAction.trim()));
  return transact(deps, async (work) => {
    const { lead, business } = await lockLead(work, leadId);
    assertTransition("update", lead.state, lead.code);
    // A next action is the owner's plan: only an accepted lead has one (offered leads' due time is the offer's).
    if (nextAction !== undefined) assertTransition("next", lead.state, lead.code);
    const next = { ...fieldsOf(lead), ...changes };
    const sources: FieldSources = { ...lead.fieldSources };
    for (const name of Object.keys(changes) as (keyof LeadFields)[]) sources[name] = opts.source;
    const [updated] = await work.tx
      .update(leads)
      .set({
        ...changes,
        ...(opts.nextActionDueAt && { nextActionDueAt: opts.nextActionDueAt }),
        ...(nextAction !== undefined && { nextAction }),
        fieldSources: sources,
        updatedAt: work.now,
        ...(lead.state !== "intake" && { lastActionAt: work.now }),
      })
      .where(eq(leads.id, lead.id))
      .returning();
    const fields = [...Object.keys(changes), ...(nextAction !== undefined ? ["nextAction"] : []), ...(opts.nextActionDueAt ? ["nextActionDueAt"] : [])];
    await recordEvent(work, lead.id, "fields_updated", opts.actor, {
      fields,
      missingFields: missingFields(next),
      ...(opts.nextActionDueAt && { nextActionDueAt: opts.nextActionDueAt.toISOString() }),
    });
    if (lead.state === "accepted") {
      // The owner's plan changed: its event (what the history and the digest read), its reminder.
      if (nextAction !== undefined || opts.nextActionDueAt) {
        await recordEvent(work, lead.id, "next_action", opts.actor, {
          via: opts.source,
          action: updated!.nextAction,
          dueAt: updated!.nextActionDueAt?.toISOString() ?? null,
        });
      }
      if (opts.nextActionDueAt && opts.nextActionDueAt > work.now) await scheduleNextActionReminder(work, updated!, opts.nextActionDueAt);
      if (changes.followUpDate !== undefined && changes.followUpDate !== lead.followUpDate) await scheduleFollowUp(work, business, updated!);
    }
    // A due time given with the fields that complete an intake lead is the one its offer promises.
    return routeIfReady(work, business, updated!, opts.actor, { ownerId: null, due: opts.nextActionDueAt ?? null });
  });
}
