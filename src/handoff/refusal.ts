/**
 * Why acceptLead or rejectLead said no, once for every channel: the SMS and voice handlers put
 * it in their own words (domain/copy/). Anything unexpected is rethrown.
 */
import type { BusinessRow } from "../core/records.ts";
import { AlreadyAccepted, IllegalTransition } from "../domain/errors.ts";
import { memberById } from "../messaging/notify.ts";
import { isNotYours } from "./lead-actions.ts";

/** What a refused ACCEPT or REJECT comes to, seen from the member who tried it. */
export type Refusal =
  | { kind: "already-yours" }
  | { kind: "accepted-by-other"; name: string }
  /** Accepted meanwhile, by whom the error does not say (a REJECT or a keypad 2). */
  | { kind: "accepted-meanwhile" }
  /** Back with intake, closed, or no longer offered to this member: not theirs to act on. */
  | { kind: "not-waiting" };

/** Classifies the error of a refused accept or reject by `memberId`; rethrows anything else. */
export function refusal(err: unknown, business: BusinessRow, memberId: string): Refusal {
  if (err instanceof AlreadyAccepted) {
    if (err.ownerId === memberId) return { kind: "already-yours" };
    return { kind: "accepted-by-other", name: memberById(business.config, err.ownerId)?.name ?? "someone else" };
  }
  if (err instanceof IllegalTransition && err.from === "accepted") return { kind: "accepted-meanwhile" };
  if (isNotYours(err)) return { kind: "not-waiting" };
  throw err;
}
