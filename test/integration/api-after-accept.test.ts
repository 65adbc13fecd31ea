import { and, eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { timers } from "../../src/db/schema/index.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";

// POST /api/leads/:id/next-action, POST /api/leads/:id/notes and PATCH's nextAction (CONTRACT §9).
describeOnBackends("next action and notes by API on $name", ({ kind }) => {
  let business: string;
  const t = useTestApp(kind);
  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    business = await t.newBusiness();
  });
  const accepted = async () => {
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business }));
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "dana" });
    return lead;
  };
  const pendingTimers = (leadId: string) => t.deps.db.select().from(timers).where(and(eq(timers.leadId, leadId), eq(timers.status, "pending")));

  test("next-action sets nextAction and its due time, records the event and sets the reminder", async () => {
    const lead = await accepted();
    const { status, body } = await t.call("POST", `/api/leads/${business}:${lead.code}/next-action`, { memberId: "dana", action: "call to book", dueAt: "2026-11-24T09:00:00-06:00" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ nextAction: "call to book", nextActionDueAt: "2026-11-24T15:00:00.000Z", lastActionAt: "2026-11-23T15:00:00.000Z" });
    expect(body.events.at(-1)).toMatchObject({ type: "next_action", actor: "member:dana", detail: { via: "api", action: "call to book", dueAt: "2026-11-24T15:00:00.000Z" } });
    expect((await pendingTimers(lead.id)).map((r) => [r.kind, r.dueAt.toISOString()])).toContainEqual(["next-action-due", "2026-11-24T15:00:00.000Z"]);
  });

  test("a second next action replaces the first reminder", async () => {
    const lead = await accepted();
    await t.call("POST", `/api/leads/${lead.id}/next-action`, { action: "call", dueAt: "2026-11-24T15:00:00Z" });
    t.clock.set("2026-11-23T15:01:00Z");
    await t.call("POST", `/api/leads/${lead.id}/next-action`, { action: "send quote", dueAt: "2026-11-25T15:00:00Z" });
    const reminders = (await pendingTimers(lead.id)).filter((r) => r.kind === "next-action-due");
    expect(reminders.map((r) => r.dueAt.toISOString())).toEqual(["2026-11-25T15:00:00.000Z"]);
  });

  test.each<[string, Record<string, unknown>, number, string]>([
    ["a due time in the past", { action: "call", dueAt: "2026-11-23T14:00:00Z" }, 400, "dueAt"],
    ["no action", { dueAt: "2026-11-24T15:00:00Z" }, 400, "action"],
    ["an empty action", { action: "  ", dueAt: "2026-11-24T15:00:00Z" }, 400, "action"],
    ["a due time without an offset", { action: "call", dueAt: "tomorrow" }, 400, "dueAt"],
    ["an unknown field", { action: "call", dueAt: "2026-11-24T15:00:00Z", when: "x" }, 400, "(root)"],
  ])("next-action with %s is refused and changes nothing", async (_name, input, status, path) => {
    const lead = await accepted();
    const res = await t.call("POST", `/api/leads/${lead.id}/next-action`, input);
    expect(res.status).toBe(status);
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    expect((await t.call("GET", `/api/leads/${lead.id}`)).body.nextAction).toBeNull();
  });

  test("next-action on an offered lead is 409: the owner accepts first", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business }));
    const res = await t.call("POST", `/api/leads/${lead.id}/next-action`, { action: "call", dueAt: "2026-11-24T15:00:00Z" });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/not accepted yet/);
  });

  test("next-action by a member the business does not have is 404", async () => {
    const lead = await accepted();
    expect((await t.call("POST", `/api/leads/${lead.id}/next-action`, { memberId: "nobody", action: "call", dueAt: "2026-11-24T15:00:00Z" })).status).toBe(404);
  });

  test("notes are appended, by member or api, and never touch summaryNotes", async () => {
    const lead = await accepted();
    await t.call("POST", `/api/leads/${lead.id}/notes`, { memberId: "dana", text: "gate code 4411" });
    t.clock.set("2026-11-23T15:02:00Z");
    const { status, body } = await t.call("POST", `/api/leads/${lead.id}/notes`, { text: "customer called the office" });
    expect(status).toBe(200);
    expect(body.notes).toEqual([
      { at: "2026-11-23T15:00:00.000Z", by: "dana", text: "gate code 4411" },
      { at: "2026-11-23T15:02:00.000Z", by: "api", text: "customer called the office" },
    ]);
    expect(body.summaryNotes).toBe("Kitchen sink leaking under the cabinet");
    expect(body.events.filter((e: any) => e.type === "note").map((e: any) => [e.actor, e.detail.text])).toEqual([
      ["member:dana", "gate code 4411"],
      ["api", "customer called the office"],
    ]);
    expect(body.lastActionAt).toBe("2026-11-23T15:02:00.000Z");
  });

  test("a closed lead takes no note (409)", async () => {
    const lead = await accepted();
    await t.call("POST", `/api/leads/${lead.id}/close`, { outcome: "booked" });
    expect((await t.call("POST", `/api/leads/${lead.id}/notes`, { text: "late note" })).status).toBe(409);
  });

  test("PATCH takes nextAction with nextActionDueAt on an accepted lead, and refuses nextAction on an offered one", async () => {
    const lead = await accepted();
    const { status, body } = await t.call("PATCH", `/api/leads/${lead.id}`, { nextAction: "send the quote", nextActionDueAt: "2026-11-25T17:00:00Z" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ nextAction: "send the quote", nextActionDueAt: "2026-11-25T17:00:00.000Z" });
    expect(body.events.at(-1)).toMatchObject({ type: "next_action", actor: "api", detail: { action: "send the quote", dueAt: "2026-11-25T17:00:00.000Z" } });
    expect((await pendingTimers(lead.id)).some((r) => r.kind === "next-action-due" && r.dueAt.toISOString() === "2026-11-25T17:00:00.000Z")).toBe(true);

    const { body: offered } = await t.call("POST", "/api/leads", completeLead({ business, phone: "+15125550999" }));
    expect((await t.call("PATCH", `/api/leads/${offered.id}`, { nextAction: "call" })).status).toBe(409);
  });

  test("a business's own outcomes close a lead; an unknown one is 400 listing them all", async () => {
    const slug = await t.newBusiness((c) => {
      (c as any).outcomes = [{ id: "referred_out", booked: false }];
    });
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business: slug }));
    const bad = await t.call("POST", `/api/leads/${lead.id}/close`, { outcome: "gone" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("booked, lost, spam, duplicate, referred_out");
    const { body } = await t.call("POST", `/api/leads/${lead.id}/close`, { outcome: "Referred_Out" });
    expect(body).toMatchObject({ state: "closed", outcome: "referred_out" });
  });
});
