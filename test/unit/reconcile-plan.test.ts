import { describe, expect, it } from "vitest";
import type { Settings } from "../../src/core/deps.ts";
import type { BusinessRow } from "../../src/core/records.ts";
import { businessConfigSchema, describeIssues, type BusinessConfigInput } from "../../src/domain/business-config.ts";
import { belongsTo, reconcilePlan, type ReconcilePlan } from "../../src/reconcile/plan.ts";
import { demoConfig, demoInput } from "../helpers/demo-config.ts";

const settings = (reconcile?: Settings["reconcile"]): Settings => ({ publicUrl: null, adminToken: "t", secrets: {}, qstash: {}, reconcile });
const business = (change: (c: BusinessConfigInput) => void = () => {}) => ({ id: "b1", slug: "acme", config: demoConfig(change) }) as unknown as BusinessRow;
const planOf = (p: ReturnType<typeof reconcilePlan>) => {
  if ("off" in p) throw new Error(`off: ${p.off}`);
  return p as ReconcilePlan;
};

describe("who is reconciled with what", () => {
  it("a provider is off without a key, and says which setting would turn it on", () => {
    expect(reconcilePlan(business(), settings(), "vapi")).toEqual({ off: "no vapi API key (reconcile.vapi.apiKey or VAPI_API_KEY)" });
    expect(reconcilePlan(business(), settings(), "bland")).toMatchObject({ off: expect.stringContaining("BLAND_API_KEY") });
    expect(reconcilePlan(business(), settings(), "twilio")).toMatchObject({ off: expect.stringContaining("reconcile.twilio") });
  });

  it("the environment's key is the agency's: it reaches every business, but only its own numbers' calls", () => {
    const plan = planOf(reconcilePlan(business(), settings({ apiKeys: { retell: "env-key" } }), "retell"));
    expect(plan).toMatchObject({ api: { apiKey: "env-key", baseUrl: "https://api.retellai.com" }, everyMs: 300_000, lookBackMs: 7_200_000 });
    expect(belongsTo(plan, ["+15125550131", "+1 (512) 555-0100"])).toBe(true);
    expect(belongsTo(plan, ["+15125550131", "+15125559999"])).toBe(false);
    const noNumbers = reconcilePlan(business((c) => void (c.numbers = [])), settings({ apiKeys: { retell: "env-key" } }), "retell");
    expect(noNumbers).toMatchObject({ off: expect.stringContaining("names no numbers") });
  });

  it("a business's own key takes every call of its account unless it names numbers; its baseUrl wins", () => {
    const own = planOf(reconcilePlan(business((c) => void (c.reconcile = { vapi: { apiKey: "own", baseUrl: "http://127.0.0.1:9999" } })), settings({ apiKeys: { vapi: "env" } }), "vapi"));
    expect(own).toMatchObject({ api: { apiKey: "own", baseUrl: "http://127.0.0.1:9999" }, numbers: null });
    expect(belongsTo(own, [])).toBe(true);
    const listed = planOf(reconcilePlan(business((c) => void (c.reconcile = { bland: { apiKey: "own", numbers: ["(512) 555-0177"] } })), settings(), "bland"));
    expect(belongsTo(listed, ["5125550177"])).toBe(true);
    expect(belongsTo(listed, ["+15125550100"])).toBe(false);
  });

  it("Twilio needs reconcile.twilio, the gateway's credentials and the business's numbers; seconds-level intervals are accepted", () => {
    const twilio = { accountSid: "AC1", authToken: "tok" };
    const on = business((c) => void (c.reconcile = { twilio: true, every: "3s", lookBack: "10m" }));
    expect(planOf(reconcilePlan(on, settings({ apiKeys: {}, twilio }), "twilio"))).toMatchObject({ twilio, everyMs: 3_000, lookBackMs: 600_000 });
    expect(reconcilePlan(on, settings(), "twilio")).toMatchObject({ off: expect.stringContaining("TWILIO_ACCOUNT_SID") });
  });

  it("a bad reconcile block is refused naming each path", () => {
    const input = demoInput() as Record<string, any>;
    input.reconcile = { vapi: { apiKey: "", baseUrl: "ftp://x" }, every: "0s", lookBack: "soon", twillio: true };
    const result = businessConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!).map((i) => i.path)).toEqual(
      expect.arrayContaining(["reconcile.vapi.apiKey", "reconcile.vapi.baseUrl", "reconcile.every", "reconcile.lookBack", "reconcile.twillio"]),
    );
  });
});
