import type { AnyDomainError } from "../domain/errors.ts";
import { DomainError } from "../domain/errors.ts";
import { AppError, ERROR_STATUS, type ErrorCode } from "../errors.ts";

/** What an error becomes on the wire: `{ error: { code, message, details?, requestId } }` with `status`. */
export interface HttpError {
  status: (typeof ERROR_STATUS)[ErrorCode];
  code: ErrorCode;
  message: string;
  details?: unknown;
}

type Mapping<E> = { code: ErrorCode; details?: (err: E) => unknown };

const reasonRequired = [{ path: "reason", message: "required" }];

/**
 * The one table from domain error to HTTP: its code (the status follows from ERROR_STATUS) and
 * the details the API has always shown. Keyed by class name so the compiler demands every class.
 */
const DOMAIN_HTTP: { [E in AnyDomainError as E["name"]]: Mapping<E> } = {
  LeadNotFound: { code: "not_found" },
  BusinessNotFound: { code: "not_found" },
  MemberNotFound: { code: "not_found" },
  ScheduleNotFound: { code: "not_found" },
  NotOfferedTo: { code: "forbidden", details: (e) => ({ offeredTo: e.offeredTo }) },
  AlreadyAccepted: { code: "illegal_transition", details: (e) => ({ state: "accepted", ownerId: e.ownerId }) },
  IllegalTransition: { code: "illegal_transition", details: (e) => ({ state: e.from, verb: e.action }) },
  ReasonRequired: { code: "validation_failed", details: () => reasonRequired },
  DeliveryNotFound: { code: "not_found" },
  DeliveryInFlight: { code: "conflict" },
  NotAHandoffOfWeek: { code: "conflict", details: (e) => [{ path: "week", message: e.handoffWeek ? `the lead is a handoff of ${e.handoffWeek}` : "the lead was never offered" }] },
  ApiKeyNotFound: { code: "not_found" },
  InvalidOutcome: {
    code: "validation_failed",
    details: (e) => [{ path: "outcome", message: e.outcome ? `"${e.outcome}" is not an outcome` : "required" }],
  },
};

/** The HTTP answer for an AppError or a domain error; null for anything else (a bug, an outage). */
export function httpErrorOf(err: unknown): HttpError | null {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message, details: err.details };
  if (err instanceof DomainError) {
    const mapping = DOMAIN_HTTP[err.name as AnyDomainError["name"]] as Mapping<DomainError> | undefined;
    if (!mapping) return null;
    return { status: ERROR_STATUS[mapping.code], code: mapping.code, message: err.message, details: mapping.details?.(err) };
  }
  return null;
}

/** The error body every error response carries; `requestId` ties it to the log line. */
export function errorBody(code: string, message: string, requestId: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined && { details }), requestId } };
}
