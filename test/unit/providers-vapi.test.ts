import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { sha256Hex } from "../../src/adapters/inbound/crypto.ts";
import { parseVapi } from "../../src/adapters/inbound/vapi.ts";

const dir = new URL("../../fixtures/vapi/", import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, dir), "utf8");
const edited = (name: string, edit: (message: Record<string, any>) => void) => {
  const body = JSON.parse(fixture(name));
  edit(body.message);
  return JSON.stringify(body);
};
const lead = (rawBody: string) => {
  const result = parseVapi(rawBody);
  if (result.kind !== "lead") throw new Error(`expected a lead, got ${result.kind}`);
  return result;
};

function expectBadRequest(rawBody: string, message: string) {
  let thrown: unknown;
  try {
    parseVapi(rawBody);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect((thrown as AppError).code).toBe("bad_request");
  expect((thrown as AppError).message).toBe(message);
}

describe("parseVapi", () => {
  it("parses every Vapi fixture", () => {
    for (const name of readdirSync(dir)) expect(() => parseVapi(fixture(name)), name).not.toThrow();
  });

  it("turns an end-of-call-report into a final lead keyed by the call id", () => {
    const result = lead(fixture("complete-call.json"));
    expect(result.idempotencyKey).toBe("vapi:3f9a6c1e-2b7d-4e8a-9c15-7d0e4b2a6f81");
    expect(result.provisional).toBe(false);
    expect(result.event).toMatchObject({
      channel: "vapi",
      externalId: "3f9a6c1e-2b7d-4e8a-9c15-7d0e4b2a6f81",
      callerPhone: "+15125550142",
      fields: {},
      source: null,
      connected: true,
      recordingUrl: expect.stringMatching(/^https:\/\/storage\.vapi\.ai\/.+-mono\.wav$/),
    });
    expect(result.event.transcript).toMatch(/^AI: Thank you for calling Acme/);
    expect(result.event.transcript).toContain("User: Sure, Maria Gonzalez.");
    expect(result.event.summary).toMatch(/^Maria Gonzalez called about a water heater/);
    expect(result.event.structuredData).toEqual({
      caller_name: "Maria Gonzalez",
      callback_number: "512-555-0142",
      service_address: "4821 Burnet Road, Austin, TX 78756",
      issue_type: "Water heater",
      urgency: "Standard",
    });
    expect(result.event.startedAt?.toISOString()).toBe("2025-06-10T14:31:04.118Z");
    expect(result.event.endedAt!.getTime()).toBeGreaterThan(result.event.startedAt!.getTime());
  });

  it("reads transcript, summary and recording from the top of older messages", () => {
    const { event } = lead(fixture("referral.json"));
    expect(event.transcript).toContain("User: Hi, my name is Priya Shah.");
    expect(event.summary).toMatch(/^Priya Shah, referred by her neighbor Linda Park/);
    expect(event.recordingUrl).toMatch(/^https:\/\/storage\.vapi\.ai\//);
    expect(event.structuredData).toMatchObject({ referred_by: "Neighbor Linda Park" });
  });

  it("marks a call in which nobody spoke as not connected", () => {
    const { event, provisional } = lead(fixture("never-connected.json"));
    expect(event.connected).toBe(false);
    expect(event.transcript).toBeNull();
    expect(event.summary).toBeNull();
    expect(event.structuredData).toEqual({});
    expect(event.callerPhone).toBe("+15125550177");
    expect(provisional).toBe(false);
  });

  it("marks a call the customer did not answer as not connected even with a transcript", () => {
    const body = edited("complete-call.json", (m) => (m.endedReason = "customer-did-not-answer"));
    expect(lead(body).event.connected).toBe(false);
  });

  it("takes the caller from call.customer when the message has no customer", () => {
    const body = edited("complete-call.json", (m) => delete m.customer);
    expect(lead(body).event.callerPhone).toBe("+15125550142");
  });

  it("leaves the caller unknown for an anonymous caller ID", () => {
    const body = edited("complete-call.json", (m) => {
      m.customer.number = "anonymous";
      m.call.customer.number = "anonymous";
    });
    expect(lead(body).event.callerPhone).toBeNull();
  });

  it("ignores a status-update, keyed by call, type and body hash", () => {
    const rawBody = fixture("status-update.json");
    const result = parseVapi(rawBody);
    expect(result.kind).toBe("ignored");
    expect(result.idempotencyKey).toBe(
      `vapi:3f9a6c1e-2b7d-4e8a-9c15-7d0e4b2a6f81:status-update:${sha256Hex(rawBody).slice(0, 16)}`,
    );
    expect(result.idempotencyKey).toMatch(/:[0-9a-f]{16}$/);
  });

  it("gives two different status updates of one call different keys, and a redelivery the same key", () => {
    const ended = edited("status-update.json", (m) => (m.status = "ended"));
    expect(parseVapi(ended).idempotencyKey).not.toBe(parseVapi(fixture("status-update.json")).idempotencyKey);
    expect(parseVapi(ended).idempotencyKey).toBe(parseVapi(ended).idempotencyKey);
  });

  it("keys an ignored message without a call as 'none'", () => {
    const result = parseVapi(JSON.stringify({ message: { type: "speech-update", status: "started", role: "user" } }));
    expect(result).toMatchObject({ kind: "ignored", idempotencyKey: expect.stringMatching(/^vapi:none:speech-update:[0-9a-f]{16}$/) });
  });

  it("ignores fields it does not know and tolerates nulls", () => {
    const body = edited("complete-call.json", (m) => {
      m.brandNewField = { nested: true };
      m.analysis.summary = null;
      m.artifact.recordingUrl = null;
    });
    const { event } = lead(body);
    expect(event.summary).toBeNull();
    expect(event.recordingUrl).toBeNull();
  });

  it("refuses a body that is not JSON", () => {
    expectBadRequest("{not json", "body is not valid JSON");
  });

  it("refuses a message without a type", () => {
    expectBadRequest(JSON.stringify({ message: { call: { id: "x" } } }), "message.type is required");
    expectBadRequest(JSON.stringify({ hello: "world" }), "message is required");
  });

  it("refuses an end-of-call-report without a call id, naming the missing field", () => {
    expectBadRequest(edited("complete-call.json", (m) => delete m.call.id), "message.call.id is required");
    expectBadRequest(edited("complete-call.json", (m) => delete m.call), "message.call is required");
  });

  it("refuses a field of the wrong type, naming it", () => {
    expect(() => parseVapi(edited("complete-call.json", (m) => (m.artifact.transcript = 42)))).toThrow(/^message\.artifact\.transcript: /);
  });
});
