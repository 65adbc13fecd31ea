import { describe, expect, it } from "vitest";
import {
  AlreadyAccepted,
  ApiKeyNotFound,
  BusinessNotFound,
  DeliveryInFlight,
  DeliveryNotFound,
  DomainError,
  IllegalTransition,
  InvalidOutcome,
  LeadNotFound,
  MemberNotFound,
  NotAHandoffOfWeek,
  NotOfferedTo,
  ReasonRequired,
  ScheduleNotFound,
} from "../../src/domain/errors.ts";
import * as domainErrors from "../../src/domain/errors.ts";
import { AppError } from "../../src/errors.ts";
import { errorBody, httpErrorOf } from "../../src/http/error-response.ts";

// One example of every domain error with the status, code and details the API answers for it
// (the same bodies the API gave when these were AppErrors).
const cases: [DomainError, { status: number; code: string; details?: unknown }][] = [
  [new LeadNotFound("0000"), { status: 404, code: "not_found" }],
  [new BusinessNotFound("nope"), { status: 404, code: "not_found" }],
  [new MemberNotFound("nobody", "acme"), { status: 404, code: "not_found" }],
  [new ScheduleNotFound("nope", "acme"), { status: 404, code: "not_found" }],
  [new NotOfferedTo("sam", 1042, ["dana"]), { status: 403, code: "forbidden", details: { offeredTo: ["dana"] } }],
  [new AlreadyAccepted(1042, "dana", "Dana"), { status: 409, code: "illegal_transition", details: { state: "accepted", ownerId: "dana" } }],
  [new IllegalTransition("closed", "accept", 1042, "it is closed"), { status: 409, code: "illegal_transition", details: { state: "closed", verb: "accept" } }],
  [new ReasonRequired("reject"), { status: 400, code: "validation_failed", details: [{ path: "reason", message: "required" }] }],
  [new ReasonRequired("reassign"), { status: 400, code: "validation_failed", details: [{ path: "reason", message: "required" }] }],
  [new InvalidOutcome(undefined, ["booked"]), { status: 400, code: "validation_failed", details: [{ path: "outcome", message: "required" }] }],
  [new DeliveryNotFound("00000000-0000-4000-8000-000000000000"), { status: 404, code: "not_found" }],
  [new DeliveryInFlight("00000000-0000-4000-8000-000000000000"), { status: 409, code: "conflict" }],
  [
    new NotAHandoffOfWeek("2026-W49", "2026-W48"),
    { status: 409, code: "conflict", details: [{ path: "week", message: "the lead is a handoff of 2026-W48" }] },
  ],
  [new NotAHandoffOfWeek("2026-W49", null), { status: 409, code: "conflict", details: [{ path: "week", message: "the lead was never offered" }] }],
  [new ApiKeyNotFound("00000000-0000-4000-8000-000000000000"), { status: 404, code: "not_found" }],
  [new InvalidOutcome("won", ["booked"]), { status: 400, code: "validation_failed", details: [{ path: "outcome", message: '"won" is not an outcome' }] }],
];

describe("domain errors on the wire", () => {
  it.each(cases)("%s maps to its status, code and details", (err, expected) => {
    expect(httpErrorOf(err)).toEqual({ message: err.message, details: undefined, ...expected });
  });

  it("every exported domain error class has a case above", () => {
    const classes = Object.values(domainErrors).filter((v) => typeof v === "function" && v.prototype instanceof DomainError);
    const covered = new Set(cases.map(([err]) => err.constructor));
    expect(classes.filter((c) => !covered.has(c as never)).map((c) => (c as { name: string }).name)).toEqual([]);
  });

  it("keeps the messages the API has always given", () => {
    expect(new LeadNotFound("abc").message).toBe('No lead "abc".');
    expect(new LeadNotFound("acme:9999", "No lead acme:9999.").message).toBe("No lead acme:9999.");
    expect(new MemberNotFound("nobody", "acme").message).toBe('No team member "nobody" in acme.');
    expect(new NotOfferedTo("sam", 1042, ["dana"]).message).toBe("Lead 1042 is not offered to sam.");
    expect(new AlreadyAccepted(1042, "dana", "Dana").message).toBe("Lead 1042 was already accepted by Dana.");
    expect(new IllegalTransition("closed", "accept", 1042, "it is closed").message).toBe("Cannot accept lead 1042: it is closed.");
  });

  it("an AppError keeps its own code, status and details", () => {
    expect(httpErrorOf(new AppError("unauthorized", "no token"))).toEqual({ status: 401, code: "unauthorized", message: "no token", details: undefined });
  });

  it("anything else is not an answer but a bug", () => {
    expect(httpErrorOf(new Error("boom"))).toBeNull();
    expect(httpErrorOf("boom")).toBeNull();
  });

  it("the body carries the request id, and details only when there are some", () => {
    expect(errorBody("not_found", "No lead.", "req-1")).toEqual({ error: { code: "not_found", message: "No lead.", requestId: "req-1" } });
    expect(errorBody("forbidden", "No.", "req-2", { offeredTo: [] })).toEqual({
      error: { code: "forbidden", message: "No.", details: { offeredTo: [] }, requestId: "req-2" },
    });
  });
});
