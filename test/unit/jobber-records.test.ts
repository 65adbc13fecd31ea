import { describe, expect, test } from "vitest";
import { accessExpiry } from "../../src/adapters/crm/jobber.ts";
import { jobberClientName, jobberClosedNote, jobberRequestTitle, jobberSummaryNote } from "../../src/domain/copy/jobber-records.ts";
import { jobberJwt } from "../helpers/jobber-edge.ts";

describe("what the Jobber connector writes", () => {
  test("a lead's name splits into Jobber's first and last name; a lead without one is named by its code", () => {
    expect(jobberClientName("Jane  van der Berg", 1042)).toEqual({ firstName: "Jane", lastName: "van der Berg" });
    expect(jobberClientName("Cher", 1042)).toEqual({ firstName: "Cher" });
    expect(jobberClientName("  ", 1042)).toEqual({ firstName: "Handoff lead", lastName: "#1042" });
    expect(jobberClientName(null, 7)).toEqual({ firstName: "Handoff lead", lastName: "#7" });
  });

  test("the request title carries the lead code, capitalised service type or a plain one", () => {
    expect(jobberRequestTitle("water heater", 1042)).toBe("Water heater (Handoff #1042)");
    expect(jobberRequestTitle(null, 1042)).toBe("Service request (Handoff #1042)");
    expect(jobberRequestTitle("x".repeat(400), 1).length).toBe(255);
  });

  test("the summary note says what intake learned, and nothing when it learned nothing", () => {
    expect(jobberSummaryNote({ summaryNotes: " No heat ", promisedNextStep: null, urgency: "emergency", source: null })).toBe("No heat\nUrgency: emergency");
    expect(jobberSummaryNote({ summaryNotes: null })).toBeNull();
  });

  test("the closing note names the outcome and says when the request was archived", () => {
    expect(jobberClosedNote("spam", true)).toBe("Closed in Handoff as spam. The request is archived.");
    expect(jobberClosedNote("booked", false)).toBe("Closed in Handoff as booked.");
  });
});

describe("when a Jobber access token expires", () => {
  test("its JWT exp says so, else the answer's expires_at, else nobody knows", () => {
    const exp = new Date("2026-11-23T16:00:00Z");
    expect(accessExpiry(jobberJwt(exp, 1))).toEqual(exp);
    expect(accessExpiry("ENCRYPTED_ACCESS_TOKEN", "2024-04-09 21:04:31 UTC")).toEqual(new Date("2024-04-09T21:04:31Z"));
    expect(accessExpiry("not.a-jwt.at-all")).toBeNull();
    expect(accessExpiry("opaque", "someday")).toBeNull();
  });
});
