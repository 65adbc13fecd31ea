import { describe, expect, it } from "vitest";
import type { Member } from "../../src/domain/business-config.ts";
import { pickWeighted } from "../../src/domain/round-robin.ts";

const member = (id: string, weight?: number): Member =>
  ({ id, name: id, phone: "+15125550100", roles: ["dispatch"], available: true, away: [], ...(weight !== undefined && { weight }) }) as Member;

/** Runs `n` offers, remembering last offers and passes as member_stats does. */
function run(team: Member[], n: number, start: { pass?: Map<string, number> } = {}) {
  const lastOfferedAt = new Map<string, Date>();
  const pass = new Map(start.pass ?? []);
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const chosen = pickWeighted(team, { lastOfferedAt, pass })!;
    lastOfferedAt.set(chosen.member.id, new Date(Date.UTC(2026, 0, 1, 0, i)));
    pass.set(chosen.member.id, chosen.pass);
    counts.set(chosen.member.id, (counts.get(chosen.member.id) ?? 0) + 1);
  }
  return counts;
}

describe("weighted round robin", () => {
  it("equal weights serve in turn, least recently offered first", () => {
    const lastOfferedAt = new Map([["a", new Date("2026-01-01T10:00:00Z")], ["b", new Date("2026-01-01T09:00:00Z")]]);
    expect(pickWeighted([member("a"), member("b"), member("c")], { lastOfferedAt })?.member.id).toBe("c");
    expect(pickWeighted([member("a"), member("b")], { lastOfferedAt })?.member.id).toBe("b");
    expect(Object.fromEntries(run([member("a"), member("b"), member("c")], 30))).toEqual({ a: 10, b: 10, c: 10 });
  });

  it("weight 2 is offered twice as often as weight 1, in every stretch of three", () => {
    const team = [member("a", 2), member("b", 1)];
    expect(Object.fromEntries(run(team, 30))).toEqual({ a: 20, b: 10 });
    expect(Object.fromEntries(run(team, 3))).toEqual({ a: 2, b: 1 });
    expect(Object.fromEntries(run([member("a", 3), member("b", 1), member("c", 1)], 50))).toEqual({ a: 30, b: 10, c: 10 });
  });

  it("a member far behind (new, or back from weeks away) catches up by one turn, not by a flood", () => {
    const team = [member("a"), member("b", 2), member("late")];
    const counts = run(team, 8, { pass: new Map([["a", 50], ["b", 50], ["late", 0]]) });
    expect(counts.get("late")).toBeLessThanOrEqual(3);
    expect(counts.get("b")).toBeGreaterThanOrEqual(3);
  });

  it("nobody to choose from is null", () => {
    expect(pickWeighted([], { lastOfferedAt: new Map() })).toBeNull();
  });
});
