import { describe, expect, it } from "vitest";
import { businessConfigSchema, describeIssues } from "../../src/domain/business-config.ts";
import { nextAttemptAt, RETRY_SCHEDULE_MS } from "../../src/domain/outbound-event.ts";
import { demoInput } from "../helpers/demo-config.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const issuesOf = (webhooks: unknown) => {
  const result = businessConfigSchema.safeParse({ ...demoInput(), webhooks });
  return result.success ? [] : describeIssues(result.error);
};

describe("webhook subscriptions in a business config", () => {
  it("a valid subscription is kept as written, and no webhooks means an empty list", () => {
    const sub = { id: "jobs", url: "https://example.com/hooks", secret: SECRET, events: ["lead.accepted", "lead.closed"] };
    expect(businessConfigSchema.parse({ ...demoInput(), webhooks: [sub] }).webhooks).toEqual([sub]);
    expect(businessConfigSchema.parse(demoInput()).webhooks).toEqual([]);
  });

  it("a bad URL, an unknown event, a secret not in whsec_ form and a duplicate id are each refused by path", () => {
    const issues = issuesOf([
      { id: "a", url: "ftp://example.com/x", secret: SECRET, events: ["lead.accepted"] },
      { id: "b", url: "https://example.com/x", secret: SECRET, events: ["lead.acepted"] },
      { id: "c", url: "https://example.com/x", secret: "hunter2", events: ["lead.created"] },
      { id: "a", url: "https://example.com/y", secret: SECRET, events: ["lead.created"] },
      { id: "d", url: "not a url", secret: SECRET, events: [] },
    ]);
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(["webhooks.0.url", "webhooks.1.events.0", "webhooks.2.secret", "webhooks.3.id", "webhooks.4.url", "webhooks.4.events"]),
    );
    expect(issues.find((i) => i.path === "webhooks.1.events.0")!.message).toMatch(/lead\.accepted/);
    expect(issues.find((i) => i.path === "webhooks.3.id")!.message).toBe('duplicate webhook id "a"');
  });

  it("a whsec_ secret of fewer than 24 bytes is refused; an unknown key in a subscription is refused", () => {
    expect(issuesOf([{ id: "a", url: "https://e.com", secret: "whsec_c2hvcnQ=", events: ["lead.created"] }]).map((i) => i.path)).toEqual(["webhooks.0.secret"]);
    expect(issuesOf([{ id: "a", url: "https://e.com", secret: SECRET, events: ["lead.created"], enabled: true }]).map((i) => i.path)).toEqual([
      "webhooks.0.enabled",
    ]);
  });
});

describe("the retry schedule", () => {
  it("waits about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => nextAttemptAt(n, at)!.getTime() - at.getTime());
    expect(waits).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(nextAttemptAt(8, at)).toBeNull();
    expect(RETRY_SCHEDULE_MS).toHaveLength(7);
  });
});
