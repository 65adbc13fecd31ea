import { beforeEach, expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { messagesOfLead } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";

describeOnBackends("leads API on $name", ({ kind }) => {
  let business: string;
  const t = useTestApp(kind);
  beforeEach(async () => {
    business = await t.newBusiness();
    t.clock.set("2026-11-23T15:00:00Z");
  });
  const fields = (over: Record<string, unknown> = {}) => completeLead({ business, ...over });

  const messagesOf = (leadId: string) => messagesOfLead(t, leadId);

  test("a complete lead is offered to exactly one owner, who gets the offer text", async () => {
    const { status, body: lead } = await t.call("POST", "/api/leads", fields());
    expect(status).toBe(201);
    expect(lead).toMatchObject({ code: 1001, business, state: "offered", ownerId: "dana", offeredTo: ["dana"], channel: "manual", missingFields: [] });
    expect(new Date(lead.nextActionDueAt).getTime() - new Date(lead.offeredAt).getTime()).toBe(15 * 60_000);
    expect(lead.events.map((e: any) => e.type)).toEqual(["created", "offered"]);
    await t.settle();
    const messages = await messagesOf(lead.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: "+15125550111", channel: "sms", purpose: "offer", status: "dry-run" });
    expect(messages[0].body).toContain("lead 1001 STANDARD: Jane Doe, +15125550123, 12 Elm St");
    expect(messages[0].body).toContain("due 9:15 AM CST");
    expect(t.printed[0]).toContain("[dry-run SMS → +15125550111] NEW lead 1001");
  });

  test("an incomplete lead stays with intake, missing fields named, and intake is texted", async () => {
    const { status, body: lead } = await t.call("POST", "/api/leads", { business, phone: "512-555-0177", urgency: "standard" });
    expect(status).toBe(201);
    expect(lead).toMatchObject({ state: "intake", ownerId: null, phone: "+15125550177" });
    expect(lead.missingFields).toEqual(["fullName", "serviceAddress", "serviceType", "source", "summaryNotes", "promisedNextStep"]);
    await t.settle();
    const [notice] = await messagesOf(lead.id);
    expect(notice).toMatchObject({ to: "+15125550115", purpose: "incomplete" });
    expect(notice.body).toContain("missing: name, address, service type, source, notes, next step");
  });

  test("an emergency goes to on-call at once even when incomplete, by SMS and voice, missing data flagged", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", { business, phone: "+15125550178", urgency: "emergency", summaryNotes: "Water pouring through the ceiling" });
    expect(lead).toMatchObject({ state: "offered", ownerId: "dana" });
    expect(new Date(lead.nextActionDueAt).getTime() - new Date(lead.offeredAt).getTime()).toBe(5 * 60_000);
    await t.settle();
    const messages = await messagesOf(lead.id);
    expect(messages.map((m: any) => m.channel).sort()).toEqual(["sms", "voice"]);
    expect(messages.find((m: any) => m.channel === "sms").body).toContain("MISSING: name, address, service type, source, next step.");
  });

  test("an estimate needs a follow-up date before it goes to sales", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields({ leadType: "estimate" }));
    expect(lead).toMatchObject({ state: "intake", missingFields: ["followUpDate"] });
    const { body: patched } = await t.call("PATCH", `/api/leads/${lead.id}`, { followUpDate: "2026-11-30" });
    expect(patched).toMatchObject({ state: "offered", ownerId: "sam", followUpDate: "2026-11-30" });
    expect(patched.fieldSources.followUpDate).toBe("api");
  });

  test("a referral keeps its referral context or stays with intake", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields({ source: "Referral" }));
    expect(lead).toMatchObject({ state: "intake", source: "referral", missingFields: ["referralContext"] });
  });

  test("ACCEPT by the offeree makes the handoff; a reject afterwards is refused with why", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields());
    const accepted = await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "dana" });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: "accepted", ownerId: "dana" });
    expect(accepted.body.acceptedAt).not.toBeNull();
    const rejected = await t.call("POST", `/api/leads/${lead.id}/reject`, { memberId: "dana", reason: "no address" });
    expect(rejected.status).toBe(409);
    expect(rejected.body.error).toMatchObject({ code: "illegal_transition" });
    expect(rejected.body.error.message).toMatch(/reassign/);
    expect((await t.call("GET", `/api/leads/${lead.id}`)).body.state).toBe("accepted");
  });

  test("someone the lead was not offered to cannot accept it; nothing changes", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields());
    const res = await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "sam" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect((await t.call("GET", `/api/leads/${lead.id}`)).body).toMatchObject({ state: "offered", ownerId: "dana" });
  });

  test("REJECT needs a reason; with one the lead goes back to intake and intake is told why", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields());
    const bare = await t.call("POST", `/api/leads/${lead.id}/reject`, { memberId: "dana" });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details).toEqual([{ path: "reason", message: "required" }]);
    const { body: rejected } = await t.call("POST", `/api/leads/${lead.id}/reject`, { memberId: "dana", reason: "no gate code" });
    expect(rejected).toMatchObject({ state: "intake", ownerId: null, offeredTo: [] });
    expect(rejected.rejections).toEqual([{ reason: "no gate code", by: "dana", at: expect.any(String) }]);
    await t.settle();
    const notice = (await messagesOf(lead.id)).find((m: any) => m.purpose === "rejected");
    expect(notice).toMatchObject({ to: "+15125550115" });
    expect(notice.body).toContain("sent back by dana: no gate code");
    const { body: rerouted } = await t.call("PATCH", `/api/leads/${lead.id}`, { summaryNotes: "Leaking sink; gate code 4411" });
    expect(rerouted.state).toBe("offered");
  });

  test("after acceptance only an explicit reassignment with a reason changes the owner", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields());
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "dana" });
    expect((await t.call("POST", `/api/leads/${lead.id}/reassign`, { memberId: "sam" })).status).toBe(400);
    expect((await t.call("POST", `/api/leads/${lead.id}/reassign`, { memberId: "nobody", reason: "x" })).status).toBe(404);
    // CONTRACT §9: the lead stays accepted by Dana with Sam pending until Sam accepts.
    const { body: pending } = await t.call("POST", `/api/leads/${lead.id}/reassign`, { memberId: "sam", reason: "Dana is off sick" });
    expect(pending).toMatchObject({ state: "accepted", ownerId: "dana", pendingOwnerId: "sam" });
    expect(pending.events.find((e: any) => e.type === "reassign_offered").detail).toMatchObject({ from: "dana", to: "sam", reason: "Dana is off sick" });
    await t.settle();
    expect((await messagesOf(lead.id)).find((m: any) => m.purpose === "reassign-offer" && m.to === "+15125550114")?.body).toContain("REASSIGNED lead 1001");
    expect((await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "ivy" })).status).toBe(409);
    const { body: moved } = await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "sam" });
    expect(moved).toMatchObject({ state: "accepted", ownerId: "sam", pendingOwnerId: null });
    expect(moved.events.find((e: any) => e.type === "reassigned").detail).toMatchObject({ from: "dana", to: "sam", reason: "Dana is off sick" });
    await t.settle();
    expect((await messagesOf(lead.id)).find((m: any) => m.purpose === "reassigned")?.to).toBe("+15125550111");
  });

  test("a reassignment turned down by its offeree leaves the lead with its owner, nothing goes to intake", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields());
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "dana" });
    await t.call("POST", `/api/leads/${lead.id}/reassign`, { memberId: "sam", reason: "Dana is off sick" });
    const { body: kept } = await t.call("POST", `/api/leads/${lead.id}/reject`, { memberId: "sam", reason: "I am booked all week" });
    expect(kept).toMatchObject({ state: "accepted", ownerId: "dana", pendingOwnerId: null, rejections: [] });
    expect(kept.events.at(-1)).toMatchObject({ type: "reassign_declined", detail: { to: "sam", reason: "I am booked all week" } });
    await t.settle();
    const messages = await messagesOf(lead.id);
    expect(messages.find((m: any) => m.purpose === "reassign-not-taken")).toMatchObject({ to: "+15125550111", body: "Sam Patel turned down lead 1001: I am booked all week. It stays yours." });
    expect(messages.some((m: any) => m.purpose === "rejected" || m.purpose === "incomplete")).toBe(false);
  });

  test("PATCH moves the due time of an accepted lead, recorded as a field update", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields());
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "dana" });
    const due = "2030-01-15T15:00:00.000Z";
    const { status, body: moved } = await t.call("PATCH", `/api/leads/${lead.id}`, { nextActionDueAt: "2030-01-15T09:00:00-06:00" });
    expect(status).toBe(200);
    expect(moved.nextActionDueAt).toBe(due);
    expect(moved.events.find((e: any) => e.type === "fields_updated")).toMatchObject({ detail: { fields: ["nextActionDueAt"], nextActionDueAt: due } });
    expect(moved.events.at(-1)).toMatchObject({ type: "next_action", actor: "api", detail: { dueAt: due } });
    const bad = await t.call("PATCH", `/api/leads/${lead.id}`, { nextActionDueAt: "tomorrow" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("nextActionDueAt");
  });

  test("an intake lead completed by PATCH with a due time is offered with that due time", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields({ promisedNextStep: undefined }));
    expect(lead.state).toBe("intake");
    const { body: offered } = await t.call("PATCH", `/api/leads/${lead.id}`, {
      promisedNextStep: "Call back to book",
      nextActionDueAt: "2030-01-15T15:00:00Z",
    });
    expect(offered).toMatchObject({ state: "offered", nextActionDueAt: "2030-01-15T15:00:00.000Z" });
  });

  test("close needs an outcome; a closed lead changes no more", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", fields());
    expect((await t.call("POST", `/api/leads/${lead.id}/close`, { outcome: "won" })).status).toBe(400);
    const { body: closed } = await t.call("POST", `/api/leads/${lead.id}/close`, { memberId: "dana", outcome: "booked" });
    expect(closed).toMatchObject({ state: "closed", outcome: "booked" });
    expect((await t.call("PATCH", `/api/leads/${lead.id}`, { fullName: "Janet Doe" })).status).toBe(409);
    expect((await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "dana" })).status).toBe(409);
  });

  test("the same caller within 24 hours updates the open lead instead of creating a second", async () => {
    const first = await t.call("POST", "/api/leads", { business, phone: "+15125550199", summaryNotes: "Water heater making noise" });
    t.clock.advance(23 * 3600_000);
    const again = await t.call("POST", "/api/leads", { business, phone: "(512) 555-0199", fullName: "Raj Patel", summaryNotes: "Now it is leaking" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, code: first.body.code, fullName: "Raj Patel" });
    expect(again.body.summaryNotes).toBe("Water heater making noise\nNow it is leaking");
    expect(again.body.events.map((e: any) => e.type)).toContain("merged");
    t.clock.advance(2 * 3600_000);
    const later = await t.call("POST", "/api/leads", { business, phone: "+15125550199" });
    expect(later.status).toBe(201);
    expect(later.body.code).toBe(first.body.code + 1);
  });

  test("lists leads newest first, filtered by business and state", async () => {
    await t.call("POST", "/api/leads", fields());
    t.clock.advance(1000);
    await t.call("POST", "/api/leads", { business, phone: "+15125550170" });
    const all = await t.call("GET", `/api/leads?business=${business}`);
    expect(all.body.leads.map((l: any) => l.code)).toEqual([1002, 1001]);
    expect((await t.call("GET", `/api/leads?business=${business}&state=intake`)).body.leads.map((l: any) => l.code)).toEqual([1002]);
    expect((await t.call("GET", `/api/leads?business=${business}&limit=1`)).body.leads).toHaveLength(1);
    expect((await t.call("GET", "/api/leads?state=lost")).status).toBe(400);
  });

  test("intake may name how the lead came, the owner it chose and the due time it promised", async () => {
    const due = "2026-11-23T18:00:00.000Z";
    const { status, body: lead } = await t.call("POST", "/api/leads", fields({ channel: "intake_api", ownerId: "omar", nextActionDueAt: due }));
    expect(status).toBe(201);
    expect(lead).toMatchObject({ channel: "intake_api", state: "offered", ownerId: "omar", nextActionDueAt: due });
    const unknown = await t.call("POST", "/api/leads", fields({ phone: "+15125550134", ownerId: "nobody" }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: "ownerId", message: `no team member "nobody" in ${business}` }]);
  });

  test("a role held by several members is offered round robin", async () => {
    business = await t.newBusiness((c) => void c.team.push({ id: "lee", name: "Lee Park", phone: "+15125550116", roles: ["dispatch"] }));
    const owners = [];
    for (const phone of ["+15125550131", "+15125550132", "+15125550133"]) {
      owners.push((await t.call("POST", "/api/leads", fields({ phone }))).body.ownerId);
      t.clock.advance(1000);
    }
    expect(owners).toEqual(["dana", "lee", "dana"]);
  });
});
