import { describe, expect, it } from "vitest";
import { answerFor, askSettings, nextAskField, whyNotAsk } from "../../src/domain/ask-customer.ts";
import { businessConfigSchema, describeIssues } from "../../src/domain/business-config.ts";
import { askQuestionText } from "../../src/domain/copy/customer-texts.ts";
import { demoInput } from "../helpers/demo-config.ts";

const issuesOf = (askCustomer: unknown) => {
  const input = { ...demoInput(), askCustomer } as never;
  const result = businessConfigSchema.safeParse(input);
  return result.success ? [] : describeIssues(result.error);
};

describe("askCustomer config", () => {
  it("is off by default, with CONTRACT §15's fields, wait and question budget", () => {
    expect(businessConfigSchema.parse(demoInput()).askCustomer).toEqual({
      enabled: false,
      fields: ["serviceAddress", "serviceType", "fullName"],
      waitFor: "10m",
      maxQuestions: 2,
    });
    // A config stored before askCustomer existed reads the same defaults.
    expect(askSettings({})).toEqual(businessConfigSchema.parse(demoInput()).askCustomer);
  });

  it("takes a Vapi or a Retell callback, each with its own ids", () => {
    expect(issuesOf({ enabled: true, callWith: { vapi: { assistantId: "a", phoneNumberId: "p" } } })).toEqual([]);
    expect(issuesOf({ enabled: true, callWith: { retell: { agentId: "a", fromNumber: "(512) 555-0100" } } })).toEqual([]);
    expect(issuesOf({ callWith: { vapi: { assistantId: "a" } } }).map((i) => i.path)).toContain("askCustomer.callWith");
    expect(issuesOf({ callWith: { bland: {} } }).map((i) => i.path)).toContain("askCustomer.callWith");
  });

  it("refuses unknown keys, fields it cannot ask, a field twice, a bad wait and a question budget out of range, by path", () => {
    expect(issuesOf({ enabled: true, nag: true })).toContainEqual({ path: "askCustomer.nag", message: "unknown key" });
    expect(issuesOf({ fields: ["urgency"] }).map((i) => i.path)).toEqual(["askCustomer.fields.0"]);
    expect(issuesOf({ fields: ["fullName", "fullName"] })).toContainEqual({ path: "askCustomer.fields", message: "a field is listed twice" });
    expect(issuesOf({ waitFor: "soon" }).map((i) => i.path)).toEqual(["askCustomer.waitFor"]);
    expect(issuesOf({ maxQuestions: 0 }).map((i) => i.path)).toEqual(["askCustomer.maxQuestions"]);
  });
});

describe("what to ask", () => {
  const settings = { ...askSettings({}), enabled: true };
  const lead = { phone: "+15125550123", urgency: "standard", rejections: [] };

  it("asks the first missing field in the business's order, skipping fields asked before", () => {
    expect(nextAskField(settings.fields, ["fullName", "serviceAddress"])).toBe("serviceAddress");
    expect(nextAskField(settings.fields, ["fullName", "serviceAddress"], ["serviceAddress"])).toBe("fullName");
    expect(nextAskField(settings.fields, ["promisedNextStep"])).toBeNull();
  });

  it("never asks an emergency, a lead sent back by an owner, a lead without a caller phone, or when off", () => {
    expect(whyNotAsk(lead, settings, ["serviceAddress"])).toBeNull();
    expect(whyNotAsk({ ...lead, urgency: "emergency" }, settings, ["serviceAddress"])).toBe("emergency");
    expect(whyNotAsk({ ...lead, urgency: "active_loss" }, settings, ["serviceAddress"])).toBe("emergency");
    expect(whyNotAsk({ ...lead, rejections: [{}] }, settings, ["serviceAddress"])).toBe("sent back by an owner");
    expect(whyNotAsk({ ...lead, phone: null }, settings, ["serviceAddress"])).toBe("no caller phone");
    expect(whyNotAsk(lead, settings, ["promisedNextStep"])).toBe("nothing missing that the caller can be asked");
    expect(whyNotAsk(lead, { ...settings, enabled: false }, ["serviceAddress"])).toBe("askCustomer is off");
  });
});

describe("reading an answer to the question asked", () => {
  it.each([
    ["4821 W 38th", "4821 W 38th"],
    ["It's 4821 W 38th Ave.", "4821 W 38th Ave"],
    ["the address is 12 elm, austin", "12 elm, austin"],
    ["Apt 4B, 900 Congress", "Apt 4B, 900 Congress"],
  ])("an address question takes %j as %j", (reply, value) => expect(answerFor("serviceAddress", reply)).toBe(value));

  it.each(["not sure", "who is this?", "Yes", "Austin", "?", "call me"])("an address question does not take %j", (reply) =>
    expect(answerFor("serviceAddress", reply)).toBeNull(),
  );

  it("a name question takes a few words of letters, capitalised when typed in lowercase", () => {
    expect(answerFor("fullName", "jane doe")).toBe("Jane Doe");
    expect(answerFor("fullName", "My name is Renée O’Brien")).toBe("Renée O’Brien");
    expect(answerFor("fullName", "no")).toBeNull();
    expect(answerFor("fullName", "4821 W 38th")).toBeNull();
    expect(answerFor("fullName", "I would rather not give you that right now")).toBeNull();
  });

  it("a service question takes a few words that say something", () => {
    expect(answerFor("serviceType", "Water heater replacement")).toBe("Water heater replacement");
    expect(answerFor("serviceType", "idk")).toBeNull();
    expect(answerFor("serviceType", "ok")).toBeNull();
  });
});

describe("the question", () => {
  it("names the business and the problem, asks one thing, and says how to answer", () => {
    expect(askQuestionText({ businessName: "Acme Plumbing", problem: "Leaking water heater", field: "serviceAddress" })).toBe(
      "Acme Plumbing here about your leaking water heater: what is the service address? Reply here.",
    );
    expect(askQuestionText({ businessName: "Acme Plumbing", problem: null, field: "fullName" })).toBe(
      "Acme Plumbing here about your call: what name should we put this under? Reply here.",
    );
    expect(askQuestionText({ businessName: "Acme Plumbing", problem: "drain", field: "serviceType", again: true })).toBe(
      "Acme Plumbing here about your drain: sorry, in a few words, what do you need us to do? Reply here.",
    );
  });
});
