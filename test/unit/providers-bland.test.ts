import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { parseBland } from "../../src/adapters/inbound/bland.ts";

const dir = new URL("../../fixtures/bland/", import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, dir), "utf8");
const edited = (name: string, edit: (body: Record<string, any>) => void) => {
  const body = JSON.parse(fixture(name));
  edit(body);
  return JSON.stringify(body);
};
const lead = (rawBody: string) => {
  const result = parseBland(rawBody);
  if (result.kind !== "lead") throw new Error(`expected a lead, got ${result.kind}`);
  return result;
};

describe("parseBland", () => {
  it("parses every Bland fixture", () => {
    for (const name of readdirSync(dir)) expect(() => parseBland(fixture(name)), name).not.toThrow();
  });

  it("turns a post-call webhook into a lead keyed by call_id", () => {
    const result = lead(fixture("complete-call.json"));
    expect(result.idempotencyKey).toBe("bland:5e1d9c3a-7b2f-4a8e-b6d0-c4f2a8e6b1d3");
    expect(result.provisional).toBe(false);
    expect(result.event).toMatchObject({
      channel: "bland",
      externalId: "5e1d9c3a-7b2f-4a8e-b6d0-c4f2a8e6b1d3",
      callerPhone: "+15125550151",
      connected: true,
      recordingUrl: expect.stringContaining("5e1d9c3a-7b2f-4a8e-b6d0-c4f2a8e6b1d3.mp3"),
    });
    expect(result.event.transcript).toMatch(/^assistant: Hi, thanks for calling/);
    expect(result.event.summary).toMatch(/^Emily Carter called about a dripping kitchen faucet/);
    expect(result.event.startedAt?.toISOString()).toBe("2025-06-10T13:14:41.000Z");
    expect(result.event.endedAt!.getTime()).toBeGreaterThan(result.event.startedAt!.getTime());
  });

  it("keeps the agency's variables but drops Bland's system variables such as the number's city", () => {
    const { structuredData } = lead(fixture("complete-call.json")).event;
    expect(structuredData).toEqual({
      customer_name: "Emily Carter",
      callback_number: "+15125550151",
      address: "2904 Manor Road, Austin, TX 78722",
      issue_type: "Plumbing repair",
      urgency: "standard",
    });
  });

  it("merges analysis answers over variables", () => {
    const { structuredData } = lead(fixture("estimate-request.json")).event;
    expect(structuredData).toMatchObject({ lead_type: "estimate", follow_up_date: "2025-06-11" });
    const overridden = lead(
      edited("estimate-request.json", (b) => (b.analysis = { lead_type: "consult" })),
    ).event.structuredData;
    expect(overridden.lead_type).toBe("consult");
  });

  it("marks an unanswered outbound call as not connected and takes the customer from 'to'", () => {
    const { event } = lead(fixture("no-answer.json"));
    expect(event.connected).toBe(false);
    expect(event.callerPhone).toBe("+15125550157");
    expect(event.transcript).toBeNull();
    expect(event.summary).toBeNull();
  });

  it("marks a call answered by voicemail as not connected", () => {
    expect(lead(edited("complete-call.json", (b) => (b.answered_by = "voicemail"))).event.connected).toBe(false);
  });

  it("accepts a numeric call_id, as Bland's reference types it", () => {
    expect(lead(edited("complete-call.json", (b) => (b.call_id = 9182736))).idempotencyKey).toBe("bland:9182736");
  });

  it("refuses malformed bodies, naming what is missing", () => {
    expect(() => parseBland("[1,2")).toThrow(new AppError("bad_request", "body is not valid JSON"));
    expect(() => parseBland(edited("complete-call.json", (b) => delete b.call_id))).toThrow("call_id is required");
    expect(() => parseBland(edited("complete-call.json", (b) => (b.call_id = "")))).toThrow(/^call_id: /);
    expect(() => parseBland("null")).toThrow(AppError);
    expect(() => parseBland("null")).toThrow("body must be a JSON object");
  });
});
