import { describe, expect, it } from "vitest";
import { EMPTY_FIELDS, OPEN_STATES, STATES, withDefaults } from "../../src/domain/lead.ts";
import { assertTransition } from "../../src/domain/transitions.ts";
import { INBOX_BACKOFF_CAP_MS, retryBackoffMs, TIMER_BACKOFF_CAP_MS } from "../../src/core/backoff.ts";
import { inboxRetryBackoffMs } from "../../src/core/inbox.ts";
import { defaultRetryBackoffMs } from "../../src/core/timer-store.ts";

describe("one empty-fields default", () => {
  it("a new lead's fields are EMPTY_FIELDS with what intake gave", () => {
    expect(withDefaults({})).toEqual(EMPTY_FIELDS);
    expect(withDefaults({ phone: "+15125550123", fit: null as never })).toEqual({ ...EMPTY_FIELDS, phone: "+15125550123" });
  });
});

describe("one list of open states", () => {
  it("is every state but closed, and a lead in any of them can be closed or updated", () => {
    expect([...OPEN_STATES]).toEqual(STATES.filter((s) => s !== "closed"));
    for (const state of OPEN_STATES) {
      expect(() => assertTransition("close", state, 1001)).not.toThrow();
      expect(() => assertTransition("update", state, 1001)).not.toThrow();
    }
    expect(() => assertTransition("close", "closed", 1001)).toThrow();
  });
});

describe("one retry backoff", () => {
  it("inbound events and timers wait on the same curve, each up to its own cap", () => {
    for (const attempts of [0, 1, 2, 3, 4, 5, 6]) {
      expect(defaultRetryBackoffMs(attempts)).toBe(inboxRetryBackoffMs(attempts)); // both under 5 min here
    }
    expect([1, 2, 3].map((a) => retryBackoffMs(a, TIMER_BACKOFF_CAP_MS))).toEqual([5_000, 10_000, 20_000]);
    expect(defaultRetryBackoffMs(30)).toBe(TIMER_BACKOFF_CAP_MS);
    expect(inboxRetryBackoffMs(30)).toBe(INBOX_BACKOFF_CAP_MS);
  });
});
