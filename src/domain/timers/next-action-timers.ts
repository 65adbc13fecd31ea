import { z } from "zod";
import type { TimerKindShape } from "./timer-kind.ts";

// The wake-ups that keep an accepted lead moving (CONTRACT §9). Each names the state it was set
// for, so its firing can tell whether the lead moved since and then does nothing.

const dueTimes = z.object({
  /** The next action's due time the wake-up belongs to; a new NEXT makes it stale. */
  dueAt: z.iso.datetime(),
  /** When that next action was recorded: movement after this instant counts. */
  setAt: z.iso.datetime(),
});

/** The payload of a `next-action-due` or `overdue` timer. */
export type NextActionPayload = z.output<typeof dueTimes>;

type NextActionKey = { leadId: string; setAt: Date };

/** `next-action-due`: the owner's next action is due; they are reminded unless the lead moved. */
export const nextActionDueTimer: TimerKindShape<"next-action-due", NextActionPayload, NextActionKey> = {
  kind: "next-action-due",
  payload: dueTimes,
  key: ({ leadId, setAt }) => `next-action-due:${leadId}:${setAt.getTime()}`,
};

/** `overdue`: `escalation.overdue.escalateAfter` past the due time, still no movement: the office is told. */
export const overdueTimer: TimerKindShape<"overdue", NextActionPayload, NextActionKey> = {
  kind: "overdue",
  payload: dueTimes,
  key: ({ leadId, setAt }) => `overdue:${leadId}:${setAt.getTime()}`,
};

const followUp = z.object({
  /** The follow-up date (yyyy-mm-dd) the wake-up is for; a changed date makes it stale. */
  date: z.iso.date(),
  /** Movement after this instant counts (the acceptance, or the change of date). */
  since: z.iso.datetime(),
});

/** The payload of a `follow-up` timer. */
export type FollowUpPayload = z.output<typeof followUp>;

/** `follow-up`: an estimate's or consult's follow-up date, at the business's opening time. */
export const followUpTimer: TimerKindShape<"follow-up", FollowUpPayload, { leadId: string; date: string; since: Date }> = {
  kind: "follow-up",
  payload: followUp,
  key: ({ leadId, date, since }) => `follow-up:${leadId}:${date}:${since.getTime()}`,
};

const reassign = z.object({
  /** The member the lead was offered to. */
  to: z.string().min(1),
  /** When it was offered; a later reassignment makes this one stale. */
  offeredAt: z.iso.datetime(),
});

/** The payload of a `reassign-window` timer. */
export type ReassignWindowPayload = z.output<typeof reassign>;

/** `reassign-window`: a reassignment's offeree did not ACCEPT in time; the lead stays with its owner. */
export const reassignWindowTimer: TimerKindShape<"reassign-window", ReassignWindowPayload, { leadId: string; offeredAt: Date }> = {
  kind: "reassign-window",
  payload: reassign,
  key: ({ leadId, offeredAt }) => `reassign-window:${leadId}:${offeredAt.getTime()}`,
};
