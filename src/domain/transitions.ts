import { IllegalTransition } from "./errors.ts";
import { OPEN_STATES, type LeadState } from "./lead.ts";

/** The verbs that move a lead, and the states each may start from. */
const ALLOWED: Record<string, readonly LeadState[]> = {
  offer: ["intake"],
  accept: ["offered"],
  reject: ["offered"],
  reassign: ["offered", "accepted"],
  close: OPEN_STATES,
  update: OPEN_STATES,
  escalate: ["intake", "offered"],
  /** A next action is the owner's plan: only an accepted lead has an owner to make one. */
  next: ["accepted"],
  note: OPEN_STATES,
};

const WHY: Record<string, Partial<Record<LeadState, string>>> = {
  reject: {
    accepted: "it is already accepted; responsibility does not bounce back informally, reassign it with a reason instead",
    intake: "it is not offered to anyone; it is already with intake",
  },
  accept: {
    accepted: "it is already accepted",
    intake: "it is not offered yet; it is still with intake",
  },
  reassign: { intake: "it is still with intake; complete the record so it is routed" },
  next: {
    offered: "it is offered, not accepted yet; the owner accepts it first",
    intake: "it is still with intake and has no owner",
  },
};

/** Throws IllegalTransition naming why `verb` cannot happen to a lead in `state`. */
export function assertTransition(verb: keyof typeof ALLOWED, state: LeadState, code: number): void {
  if (ALLOWED[verb]!.includes(state)) return;
  const why = WHY[verb]?.[state] ?? `it is ${state}`;
  throw new IllegalTransition(state, verb, code, why);
}
