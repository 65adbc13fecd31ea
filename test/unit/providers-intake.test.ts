import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { parseIntake } from "../../src/adapters/inbound/intake.ts";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/intake/${name}`, import.meta.url), "utf8");
const lead = (body: unknown) => {
  const result = parseIntake(typeof body === "string" ? body : JSON.stringify(body));
  if (result.kind !== "lead") throw new Error(`expected a lead, got ${result.kind}`);
  return result;
};
const badRequest = (body: string) => {
  try {
    parseIntake(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("bad_request");
    return (error as AppError).message;
  }
  throw new Error("expected a bad_request");
};

describe("parseIntake", () => {
  it("turns a web-form submission into a lead with validated fields", () => {
    const result = lead(fixture("web-form-complete.json"));
    expect(result.idempotencyKey).toBe("intake:wf_20250610_093144_7f3a");
    expect(result.provisional).toBe(false);
    expect(result.event).toMatchObject({
      channel: "intake_api",
      externalId: "wf_20250610_093144_7f3a",
      callerPhone: "+15125550117",
      transcript: null,
      source: "google_ads",
      connected: true,
    });
    expect(result.event.fields).toEqual({
      fullName: "Jennifer Walsh",
      phone: "+15125550117",
      serviceAddress: "5602 Balcones Drive, Austin, TX 78731",
      market: "Austin",
      serviceType: "Drain cleaning",
      urgency: "standard",
      summaryNotes: "Main bathroom shower drains very slowly and gurgles when the washing machine runs. Prefers a weekday morning visit.",
      leadType: "service",
    });
  });

  it("keeps form entries that are not lead fields in structuredData instead of losing them", () => {
    expect(lead(fixture("web-form-complete.json")).event.structuredData).toEqual({
      email: "jen.walsh@example.com",
      preferredContact: "text",
    });
  });

  it("keeps an invalid field out of fields but in structuredData, where its mapping records why", () => {
    const { event } = lead({ externalId: "f-1", fields: { fullName: "Ann Lee", phone: "555-01", urgency: "ASAP!!" } });
    expect(event.fields).toEqual({ fullName: "Ann Lee" });
    expect(event.structuredData).toEqual({ phone: "555-01", urgency: "ASAP!!" });
    expect(event.callerPhone).toBeNull();
  });

  it("takes a transcript-only submission as is", () => {
    const result = lead(fixture("transcript-only.json"));
    expect(result.idempotencyKey).toBe("intake:rcpt-88213");
    expect(result.event.transcript).toMatch(/^Receptionist: Acme Plumbing and Heating/);
    expect(result.event.fields).toEqual({});
    expect(result.event.source).toBe("answering_service");
    expect(result.event.callerPhone).toBeNull();
  });

  it("defaults the channel to intake_api and accepts another known channel", () => {
    expect(lead({ externalId: "a" }).event.channel).toBe("intake_api");
    expect(lead({ externalId: "b", channel: "manual" }).event.channel).toBe("manual");
  });

  it("accepts a numeric externalId as its string", () => {
    expect(lead({ externalId: 40117 }).idempotencyKey).toBe("intake:40117");
  });

  it("refuses a submission without externalId, with an unknown channel, or that is not JSON", () => {
    expect(badRequest(JSON.stringify({ transcript: "hi" }))).toBe("externalId is required");
    expect(badRequest(JSON.stringify({ externalId: "   " }))).toMatch(/^externalId: /);
    expect(badRequest(JSON.stringify({ externalId: "x", channel: "fax" }))).toMatch(/^channel: /);
    expect(badRequest(JSON.stringify({ externalId: "x", fields: ["fullName"] }))).toMatch(/^fields: /);
    expect(badRequest("externalId=1")).toBe("body is not valid JSON");
  });
});
