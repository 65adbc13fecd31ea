import { eq } from "drizzle-orm";
import { leads } from "../db/schema/index.ts";
import type { LeadNote } from "../domain/lead.ts";
import { capText, cleanText } from "../domain/storable-text.ts";
import { assertTransition } from "../domain/transitions.ts";
import type { Deps } from "../core/deps.ts";
import { lockLead } from "../core/lead-lock.ts";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import { MemberNotFound } from "../domain/errors.ts";
import { recordEvent, transact } from "../core/transact.ts";
import { scheduleNextActionReminder } from "./next-action-timers.ts";

/** Who records a next action or a note: a member (by text or the API) or the API itself. */
export interface Author {
  /** A member id, or "api". */
  by: string;
  via: string;
}

const actorOf = (a: Author) => (a.by === "api" ? "api" : `member:${a.by}`);

/** A member author must be on the lead's team. */
function requireAuthor(business: BusinessRow, author: Author): void {
  if (author.by !== "api" && !business.config.team.some((m) => m.id === author.by)) throw new MemberNotFound(author.by, business.slug);
}

/**
 * The owner's plan (NEXT, CONTRACT §9): what they do next and when. Movement: it restarts the
 * "no movement" clocks, and its reminder is set for the due time.
 */
export async function setNextAction(deps: Deps, leadId: string, author: Author, input: { action: string; dueAt: Date }): Promise<LeadRow> {
  const action = capText(cleanText(input.action.trim()));
  return transact(deps, async (work) => {
    const { lead, business } = await lockLead(work, leadId);
    requireAuthor(business, author);
    assertTransition("next", lead.state, lead.code);
    const [updated] = await work.tx
      .update(leads)
      .set({ nextAction: action, nextActionDueAt: input.dueAt, lastActionAt: work.now, updatedAt: work.now })
      .where(eq(leads.id, lead.id))
      .returning();
    await recordEvent(work, lead.id, "next_action", actorOf(author), { via: author.via, action, dueAt: input.dueAt.toISOString() });
    await scheduleNextActionReminder(work, updated!, input.dueAt);
    return updated!;
  });
}

/** NOTE: a note on the lead's list, never on intake's `summaryNotes`. Movement once the lead has an owner. */
export async function addNote(deps: Deps, leadId: string, author: Author, text: string): Promise<LeadRow> {
  const clean = capText(cleanText(text.trim()));
  return transact(deps, async (work) => {
    const { lead, business } = await lockLead(work, leadId);
    requireAuthor(business, author);
    assertTransition("note", lead.state, lead.code);
    const note: LeadNote = { at: work.now.toISOString(), by: author.by, text: clean };
    const [updated] = await work.tx
      .update(leads)
      .set({ notes: [...lead.notes, note], updatedAt: work.now, ...(lead.state !== "intake" && { lastActionAt: work.now }) })
      .where(eq(leads.id, lead.id))
      .returning();
    await recordEvent(work, lead.id, "note", actorOf(author), { via: author.via, text: clean });
    return updated!;
  });
}
