import type { LeadState } from "./lead.ts";

// Typed domain errors: what a verb refuses, as a class with the facts a caller needs. Callers
// (the SMS and voice handlers) match them with `instanceof` and read their fields; none reads
// another error's details. They know nothing of HTTP: app.onError maps each class to a status
// and code once (http/error-response.ts).

/** A rule of a lead's life said no. The subclasses below are all there is. */
export abstract class DomainError extends Error {}

/** No lead by that id or reference. */
export class LeadNotFound extends DomainError {
  override readonly name = "LeadNotFound";
  /** `ref` is what the caller asked for (an id, or `acme:1042`); `message` overrides the default wording. */
  constructor(
    readonly ref: string,
    message = `No lead "${ref}".`,
  ) {
    super(message);
  }
}

/** No business by that slug. */
export class BusinessNotFound extends DomainError {
  override readonly name = "BusinessNotFound";
  constructor(
    readonly slug: string,
    message = `No business "${slug}".`,
  ) {
    super(message);
  }
}

/** The business has no team member by that id. */
export class MemberNotFound extends DomainError {
  override readonly name = "MemberNotFound";
  constructor(
    readonly memberId: string,
    readonly businessSlug: string,
  ) {
    super(`No team member "${memberId}" in ${businessSlug}.`);
  }
}

/** The business has no schedule by that id. */
export class ScheduleNotFound extends DomainError {
  override readonly name = "ScheduleNotFound";
  constructor(
    readonly scheduleId: string,
    readonly businessSlug: string,
  ) {
    super(`No schedule "${scheduleId}" in ${businessSlug}.`);
  }
}

/** The member acted on a lead that is not offered to them. */
export class NotOfferedTo extends DomainError {
  override readonly name = "NotOfferedTo";
  constructor(
    readonly memberId: string,
    readonly leadCode: number,
    /** Who the lead is offered to instead. */
    readonly offeredTo: readonly string[],
  ) {
    super(`Lead ${leadCode} is not offered to ${memberId}.`);
  }
}

/** An ACCEPT for a lead someone (perhaps the sender) already accepted. */
export class AlreadyAccepted extends DomainError {
  override readonly name = "AlreadyAccepted";
  constructor(
    readonly leadCode: number,
    /** Who holds it. */
    readonly ownerId: string | null,
    /** How the owner is named to people (their name, else their id). */
    ownerName: string | null,
  ) {
    super(`Lead ${leadCode} was already accepted by ${ownerName}.`);
  }
}

/** `action` cannot happen to a lead in state `from`; `why` says so in words. */
export class IllegalTransition extends DomainError {
  override readonly name = "IllegalTransition";
  constructor(
    readonly from: LeadState,
    readonly action: string,
    readonly leadCode: number,
    why: string,
  ) {
    super(`Cannot ${action} lead ${leadCode}: ${why}.`);
  }
}

/** A rejection or reassignment without the reason the SOP requires. */
export class ReasonRequired extends DomainError {
  override readonly name = "ReasonRequired";
  constructor(readonly action: "reject" | "reassign") {
    super(action === "reject" ? "A rejection needs a reason naming the missing data." : "A reassignment needs a reason.");
  }
}

/** A close without an outcome, or with one that is not in `allowed`. */
export class InvalidOutcome extends DomainError {
  override readonly name = "InvalidOutcome";
  constructor(
    readonly outcome: string | undefined,
    readonly allowed: readonly string[],
  ) {
    super(`A close needs an outcome: one of ${allowed.join(", ")}.`);
  }
}

/** No outbound event delivery by that id. */
export class DeliveryNotFound extends DomainError {
  override readonly name = "DeliveryNotFound";
  constructor(readonly id: string) {
    super(`No delivery "${id}".`);
  }
}

/** A retry asked for while an attempt at that delivery is in flight; it ends within its lease. */
export class DeliveryInFlight extends DomainError {
  override readonly name = "DeliveryInFlight";
  constructor(readonly id: string) {
    super(`An attempt at delivery "${id}" is in flight; see how it ends before retrying.`);
  }
}

/** No live API key by that id in the business (never made, revoked, or another business's). */
export class ApiKeyNotFound extends DomainError {
  override readonly name = "ApiKeyNotFound";
  constructor(readonly id: string) {
    super(`No API key "${id}" in this business.`);
  }
}

/** Every domain error; the HTTP table must name each (checked by the compiler). */
/**
 * A QA review filed under a week the lead is not a handoff of (first offered in another ISO
 * week, or never offered): the week's count of reviews would count it where it does not belong.
 */
export class NotAHandoffOfWeek extends DomainError {
  override readonly name = "NotAHandoffOfWeek";
  constructor(
    readonly week: string,
    /** The week it is a handoff of; null when it was never offered. */
    readonly handoffWeek: string | null,
  ) {
    super(
      handoffWeek
        ? `This lead is a handoff of ${handoffWeek} (first offered then), not of ${week}; review it under ${handoffWeek}.`
        : `This lead was never offered, so it is no handoff of ${week} to review.`,
    );
  }
}

export type AnyDomainError =
  | LeadNotFound
  | BusinessNotFound
  | MemberNotFound
  | ScheduleNotFound
  | NotOfferedTo
  | AlreadyAccepted
  | IllegalTransition
  | ReasonRequired
  | InvalidOutcome
  | DeliveryNotFound
  | DeliveryInFlight
  | ApiKeyNotFound
  | NotAHandoffOfWeek;
