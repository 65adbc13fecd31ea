import { describe, expect, it } from "vitest";
import { mapStructuredData, toIsoDate } from "../../src/domain/structured-fields.ts";

describe("mapStructuredData", () => {
  it("maps common provider keys onto lead fields with validated values", () => {
    const { fields, invalid } = mapStructuredData({
      caller_name: "  Maria   Gonzalez ",
      callback_number: "(512) 555-0142",
      service_address: "4821 Burnet Road, Austin, TX 78756",
      city: "Austin",
      issue_type: "Water heater",
      priority: "EMERGENCY",
      notes: "Leaking from the bottom.",
      next_step: "Dispatcher calls back within 15 minutes",
      lead_type: "Service",
      follow_up_date: "2025-06-12",
    });
    expect(invalid).toEqual([]);
    expect(fields).toEqual({
      fullName: "Maria Gonzalez",
      phone: "+15125550142",
      serviceAddress: "4821 Burnet Road, Austin, TX 78756",
      market: "Austin",
      serviceType: "Water heater",
      urgency: "emergency",
      summaryNotes: "Leaking from the bottom.",
      promisedNextStep: "Dispatcher calls back within 15 minutes",
      leadType: "service",
      followUpDate: "2025-06-12",
    });
  });

  it("matches keys whatever their case or separators", () => {
    expect(mapStructuredData({ "Caller Name": "Ana", callerName: "Bea", CALLER_NAME: "Cy" }).fields.fullName).toBe("Ana");
    expect(mapStructuredData({ "Phone Number": "512.555.0199" }).fields.phone).toBe("+15125550199");
  });

  it("passes our own field names through, so generic intake and the LLM share the validation", () => {
    const { fields } = mapStructuredData({ fullName: "Priya Shah", serviceAddress: "2310 Barton Hills Drive", followUpDate: "6/17/2025" });
    expect(fields).toEqual({ fullName: "Priya Shah", serviceAddress: "2310 Barton Hills Drive", followUpDate: "2025-06-17" });
  });

  it("normalises enums case- and space-insensitively", () => {
    expect(mapStructuredData({ urgency: "Active Loss" }).fields.urgency).toBe("active_loss");
    expect(mapStructuredData({ urgency: "active-loss" }).fields.urgency).toBe("active_loss");
    expect(mapStructuredData({ urgency: "EMERGENCY" }).fields.urgency).toBe("emergency");
    expect(mapStructuredData({ urgency: "Normal" }).fields.urgency).toBe("standard");
    expect(mapStructuredData({ lead_type: "Quote" }).fields.leadType).toBe("estimate");
    expect(mapStructuredData({ fit: "Unknown" }).fields.fit).toBe("unknown");
    expect(mapStructuredData({ opportunity: " Premium " }).fields.opportunity).toBe("premium");
  });

  it("drops a value that fails validation and says which and why", () => {
    const { fields, invalid } = mapStructuredData({
      callback_number: "five one two",
      urgency: "whenever",
      follow_up_date: "next Tuesday",
      name: ["Maria"],
    });
    expect(fields).toEqual({});
    expect(invalid).toEqual([
      'phone (from callback_number): "five one two" is not a valid phone number',
      expect.stringMatching(/^urgency \(from urgency\): "whenever" is not one of emergency, active_loss, standard, low$/),
      'followUpDate (from follow_up_date): "next Tuesday" is not a calendar date',
      "fullName (from name): expected text, got a list",
    ]);
  });

  it("leaves out a provider's date outside 2000–2100 and says why", () => {
    const { fields, invalid } = mapStructuredData({ fullName: "Priya Shah", follow_up_date: "1/2/1999", followUp: "9999-01-01" });
    expect(fields).toEqual({ fullName: "Priya Shah" });
    expect(invalid).toEqual([
      'followUpDate (from follow_up_date): "1/2/1999" is not between 2000 and 2100',
      'followUpDate (from followUp): "9999-01-01" is not between 2000 and 2100',
    ]);
  });

  it("treats blanks and placeholders as absent, not invalid", () => {
    const { fields, invalid } = mapStructuredData({ name: "", phone: null, address: "N/A", city: "unknown", notes: "  " });
    expect(fields).toEqual({});
    expect(invalid).toEqual([]);
  });

  it("lets the business's fieldMap win over default aliases", () => {
    const data = { name: "Acme Receptionist", homeowner: "Dana Ruiz", zone: "North Austin" };
    const { fields } = mapStructuredData(data, { homeowner: "fullName", zone: "market" });
    expect(fields).toEqual({ fullName: "Dana Ruiz", market: "North Austin" });
  });

  it("uses a default alias when the mapped key's value is invalid", () => {
    const { fields, invalid } = mapStructuredData({ mobile: "12", phone: "512-555-0188" }, { mobile: "phone" });
    expect(fields.phone).toBe("+15125550188");
    expect(invalid).toHaveLength(1);
  });

  it("reports a fieldMap that names no lead field", () => {
    const { fields, invalid } = mapStructuredData({ homeowner: "Dana" }, { homeowner: "customerName" });
    expect(fields).toEqual({});
    expect(invalid).toEqual(['homeowner: fieldMap names "customerName", which is not a lead field']);
  });

  it("reads nested objects by their dotted path", () => {
    const { fields } = mapStructuredData({ customer: { name: "Kevin Tran", phone: "512 555 0199" } }, { "customer.phone": "phone" });
    expect(fields).toEqual({ fullName: "Kevin Tran", phone: "+15125550199" });
  });

  it("normalises the source spelling", () => {
    expect(mapStructuredData({ lead_source: "Google Ads" }).fields.source).toBe("google_ads");
  });

  it("takes a named referrer as a referral source when no source is given, and keeps a given one", () => {
    expect(mapStructuredData({ referred_by: "Jim from Westlake Hardware" }).fields).toEqual({
      referralContext: "Jim from Westlake Hardware",
      source: "referral",
    });
    expect(mapStructuredData({ referred_by: "Jim", source: "Nextdoor" }).fields.source).toBe("nextdoor");
  });

  it("invents nothing for keys it does not know", () => {
    expect(mapStructuredData({ sentiment: "positive", call_successful: true, gate_code: "4411" })).toEqual({ fields: {}, invalid: [] });
  });
});

describe("toIsoDate", () => {
  it("reads ISO dates and keeps the written date of a timestamp", () => {
    expect(toIsoDate("2025-06-12")).toBe("2025-06-12");
    expect(toIsoDate("2025-06-12T23:30:00-05:00")).toBe("2025-06-12");
  });

  it("reads US numeric and spelled-out dates", () => {
    expect(toIsoDate("6/17/2025")).toBe("2025-06-17");
    expect(toIsoDate("06/17/25")).toBe("2025-06-17");
    expect(toIsoDate("June 17th, 2025")).toBe("2025-06-17");
    expect(toIsoDate("Tuesday, June 17, 2025")).toBe("2025-06-17");
  });

  it("refuses impossible and relative dates", () => {
    expect(toIsoDate("2025-02-30")).toBeNull();
    expect(toIsoDate("13/01/2025")).toBeNull();
    expect(toIsoDate("tomorrow")).toBeNull();
    expect(toIsoDate("Smarch 3, 2025")).toBeNull();
  });
});
