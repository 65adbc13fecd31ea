import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { parseRetell } from "../../src/adapters/inbound/retell.ts";

const dir = new URL("../../fixtures/retell/", import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, dir), "utf8");
const edited = (name: string, edit: (body: Record<string, any>) => void) => {
  const body = JSON.parse(fixture(name));
  edit(body);
  return JSON.stringify(body);
};
const lead = (rawBody: string) => {
  const result = parseRetell(rawBody);
  if (result.kind !== "lead") throw new Error(`expected a lead, got ${result.kind}`);
  return result;
};
const badRequest = (rawBody: string) => {
  try {
    parseRetell(rawBody);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("bad_request");
    return (error as AppError).message;
  }
  throw new Error("expected a bad_request");
};

describe("parseRetell", () => {
  it("parses every Retell fixture", () => {
    for (const name of readdirSync(dir)) expect(() => parseRetell(fixture(name)), name).not.toThrow();
  });

  it("turns call_analyzed into a final lead with the analysis", () => {
    const result = lead(fixture("complete-call.json"));
    expect(result.idempotencyKey).toBe("retell:call_6d2a9f41c3e84b07a5f1d2c3:call_analyzed");
    expect(result.provisional).toBe(false);
    expect(result.event).toMatchObject({
      channel: "retell",
      externalId: "call_6d2a9f41c3e84b07a5f1d2c3",
      callerPhone: "+15125550131",
      connected: true,
      recordingUrl: "https://dxc03zgurdly9.cloudfront.net/call_6d2a9f41c3e84b07a5f1d2c3/recording.wav",
      structuredData: { customer_name: "Carlos Mendoza", service_type: "AC repair", urgency: "standard" },
    });
    expect(result.event.summary).toMatch(/^Carlos Mendoza reports his AC stopped cooling/);
    expect(result.event.transcript).toMatch(/^Agent: Thanks for calling/);
    expect(result.event.startedAt?.toISOString()).toBe("2025-06-10T13:52:12.000Z");
    expect(result.event.endedAt!.getTime() - result.event.startedAt!.getTime()).toBe(JSON.parse(fixture("complete-call.json")).call.duration_ms);
  });

  it("makes call_ended of a connected call a provisional lead that call_analyzed supersedes", () => {
    const ended = lead(fixture("complete-call-ended.json"));
    const analyzed = lead(fixture("complete-call.json"));
    expect(ended.provisional).toBe(true);
    expect(ended.event.connected).toBe(true);
    expect(ended.event.externalId).toBe(analyzed.event.externalId);
    expect(ended.idempotencyKey).toBe("retell:call_6d2a9f41c3e84b07a5f1d2c3:call_ended");
    expect(ended.idempotencyKey).not.toBe(analyzed.idempotencyKey);
    expect(ended.event.summary).toBeNull();
    expect(ended.event.structuredData).toEqual({});
    expect(ended.event.transcript).toBe(analyzed.event.transcript);
  });

  it("makes call_ended of a call that never connected final: no analysis follows", () => {
    const result = lead(fixture("never-connected.json"));
    expect(result.provisional).toBe(false);
    expect(result.event.connected).toBe(false);
    expect(result.event.transcript).toBeNull();
    expect(result.event.callerPhone).toBe("+15125550182");
  });

  it("treats dial_no_answer, dial_busy and dial_failed as never connected", () => {
    for (const reason of ["dial_no_answer", "dial_busy", "dial_failed"]) {
      const result = lead(edited("complete-call-ended.json", (b) => (b.call.disconnection_reason = reason)));
      expect(result.event.connected, reason).toBe(false);
      expect(result.provisional, reason).toBe(false);
    }
  });

  it("takes the customer from to_number on an outbound call", () => {
    const result = lead(
      edited("complete-call.json", (b) => {
        b.call.direction = "outbound";
        b.call.from_number = "+15125550100";
        b.call.to_number = "+15125550166";
      }),
    );
    expect(result.event.callerPhone).toBe("+15125550166");
  });

  it("ignores call_started and events it does not know, keyed per event", () => {
    expect(parseRetell(fixture("call-started.json"))).toEqual({
      kind: "ignored",
      idempotencyKey: "retell:call_6d2a9f41c3e84b07a5f1d2c3:call_started",
      reason: expect.stringContaining("call_started"),
    });
    const transfer = parseRetell(edited("complete-call.json", (b) => (b.event = "transfer_started")));
    expect(transfer).toMatchObject({ kind: "ignored", idempotencyKey: "retell:call_6d2a9f41c3e84b07a5f1d2c3:transfer_started" });
  });

  it("keeps the summary when custom analysis data is absent or not an object", () => {
    const result = lead(edited("complete-call.json", (b) => (b.call.call_analysis.custom_analysis_data = "n/a")));
    expect(result.event.structuredData).toEqual({});
    expect(result.event.summary).not.toBeNull();
  });

  it("refuses malformed bodies, naming what is missing", () => {
    expect(badRequest("")).toBe("body is not valid JSON");
    expect(badRequest(edited("complete-call.json", (b) => delete b.call.call_id))).toBe("call.call_id is required");
    expect(badRequest(edited("complete-call.json", (b) => delete b.event))).toBe("event is required");
    expect(badRequest(edited("complete-call.json", (b) => (b.call.start_timestamp = "yesterday")))).toMatch(/^call\.start_timestamp: /);
  });
});
