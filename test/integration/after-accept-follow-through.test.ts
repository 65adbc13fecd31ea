import { eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { silentLogger } from "../../src/adapters/logger.ts";
import { applyBusinessConfig } from "../../src/admin/businesses.ts";
import { runDueOnce } from "../../src/core/timer-store.ts";
import { timers } from "../../src/db/schema/timers.ts";
import { fireTimer } from "../../src/escalation/fire-timer.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadById, messagesOf } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";
import { acceptingMessaging, DANA, JANE, MIA, OMAR, postTwilio, sms } from "../helpers/twilio.ts";

// What follows ACCEPT (CONTRACT §9), driven by signed Twilio texts and the timer loop's own
// claim-and-fire on the test clock: reminders, the overdue notice, follow-up dates, the
// reassignment window, AWAY/BACK/WHO and the customer's one text on acceptance.
const SAM = "+15125550114";
const MIN = 60_000;
/** Monday 23 Nov 2026, 9:00 AM in Chicago. */
const MONDAY_9AM = Date.parse("2026-11-23T15:00:00Z");

describeOnBackends("after ACCEPT, nothing waits silently, on $name", ({ kind }) => {
  let slug: string;
  const t = useTestApp(kind, { messaging: acceptingMessaging() });
  beforeEach(async () => {
    t.clock.set(new Date(MONDAY_9AM));
    slug = await t.newBusiness();
    // Suites share a database: earlier tests' wake-ups must not fire in this one.
    await t.deps.db.update(timers).set({ status: "canceled" }).where(eq(timers.status, "pending"));
  });

  /** The loop's work at the test clock's now: claim what is due, fire it, send what it queued. */
  async function at(minutes: number) {
    t.clock.set(new Date(MONDAY_9AM + minutes * MIN));
    await runDueOnce({ db: t.deps.db, clock: t.clock, logger: silentLogger, fire: async (timer) => void (await fireTimer(t.deps, timer)) });
    await t.settle();
  }
  /** A signed text, a second after the last thing that happened (so replies list in order). */
  const text = async (from: string, body: string) => {
    t.clock.set(new Date(t.clock.now().getTime() + 1000));
    expect((await postTwilio(t, slug, "sms", sms(from, body))).status).toBe(200);
    await t.settle();
  };
  const sent = async (purpose: string) => (await messagesOf(t, slug)).filter((m) => m.purpose === purpose);
  const lastReply = async (to: string) => (await messagesOf(t, slug)).filter((m) => m.purpose === "reply" && m.to === to).at(0)?.body;
  /** A standard lead offered to Dana and accepted by her. */
  const acceptedByDana = async (over: Record<string, unknown> = {}) => {
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business: slug, ...over }));
    await text(DANA, `ACCEPT ${lead.code}`);
    return lead;
  };

  test("a next action due with no movement reminds its owner, and 30 minutes later the office lead is told", async () => {
    const lead = await acceptedByDana();
    await text(DANA, "next 1001 call to book at 10am");
    await at(59);
    expect(await sent("reminder")).toEqual([]);

    await at(60);
    const [reminder] = await sent("reminder");
    expect(reminder).toMatchObject({ to: DANA, body: "Reminder: lead 1001 (Jane Doe): call to book, due 10:00 AM CST. Reply NEXT 1001 <what> <when> or DONE 1001 <outcome>." });
    await at(89);
    expect(await sent("overdue")).toEqual([]);
    await at(90);
    const [overdue, ...more] = await sent("overdue");
    expect(more).toEqual([]);
    expect(overdue).toMatchObject({ to: OMAR, body: "Overdue: lead 1001 (Jane Doe), Dana Ruiz was to call to book by 10:00 AM CST; nothing has moved. Please check in." });
    const events = (await leadById(t, lead.id)).events.map((e: any) => e.type);
    expect(events.slice(-2)).toEqual(["reminded", "overdue_escalated"]);
    // A reminder is no movement: the lead's last action is still the NEXT.
    const after = await leadById(t, lead.id);
    expect(after.lastActionAt).toBe(after.events.find((e: any) => e.type === "next_action").at);
  });

  test("movement after the NEXT (a note) means no reminder and no overdue notice", async () => {
    await acceptedByDana();
    await text(DANA, "next 1001 call to book at 10am");
    t.clock.set(new Date(MONDAY_9AM + 20 * MIN));
    await text(DANA, "note 1001 customer asked for Thursday");
    await at(60);
    await at(120);
    expect(await sent("reminder")).toEqual([]);
    expect(await sent("overdue")).toEqual([]);
  });

  test("a customer text is no movement: the reminder still comes", async () => {
    await acceptedByDana();
    await text(DANA, "next 1001 call to book at 10am");
    t.clock.set(new Date(MONDAY_9AM + 20 * MIN));
    await text(JANE, "Can you come after 3?");
    await at(60);
    expect(await sent("reminder")).toHaveLength(1);
  });

  test("the overdue window and role come from escalation.overdue", async () => {
    slug = await t.newBusiness((c) => {
      c.escalation = { ...c.escalation, overdue: { escalateAfter: "5m", escalateTo: "manager" } } as any;
    });
    await acceptedByDana();
    await text(DANA, "next 1001 call to book at 10am");
    await at(60);
    await at(65);
    expect((await sent("overdue")).map((m) => m.to)).toEqual([MIA]);
  });

  test("a closed lead's reminder does nothing", async () => {
    await acceptedByDana();
    await text(DANA, "next 1001 call to book at 10am");
    await text(DANA, "done 1001 booked");
    await at(60);
    await at(90);
    expect(await sent("reminder")).toEqual([]);
    expect(await sent("overdue")).toEqual([]);
  });

  test("an estimate's follow-up date reminds its owner when the business opens that day", async () => {
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business: slug, leadType: "estimate", followUpDate: "2026-11-25" }));
    await text(SAM, "ACCEPT");
    // Wednesday 25 Nov, 08:00 CST = 14:00Z: a day and 23 hours after Monday 09:00 CST.
    await at(24 * 60 + 23 * 60 - 1);
    expect(await sent("follow-up")).toEqual([]);
    await at(24 * 60 + 23 * 60);
    expect(await sent("follow-up")).toEqual([
      expect.objectContaining({ to: SAM, body: "Follow-up day for lead 1001 (Jane Doe): the customer expects to hear from you today. Reply NEXT 1001 <what> <when> or DONE 1001 <outcome>." }),
    ]);
    expect((await leadById(t, lead.id)).events.at(-1)).toMatchObject({ type: "follow_up_reminded", detail: { to: "sam", date: "2026-11-25" } });
  });

  test("REASSIGN by text: the offeree's ACCEPT makes them owner and the old owner is told", async () => {
    const lead = await acceptedByDana();
    await text(DANA, "REASSIGN 1001 sam no truck nearby");
    const [offer] = await sent("reassign-offer");
    expect(offer).toMatchObject({ to: SAM });
    expect(offer.body).toMatch(/^REASSIGNED lead 1001 /);
    expect(await leadById(t, lead.id)).toMatchObject({ state: "accepted", ownerId: "dana", pendingOwnerId: "sam" });

    await text(SAM, "list");
    expect(await lastReply(SAM)).toMatch(/^Waiting \(1\): 1001 Jane Doe/);
    await text(SAM, "ACCEPT");
    expect(await leadById(t, lead.id)).toMatchObject({ state: "accepted", ownerId: "sam", pendingOwnerId: null });
    expect((await sent("reassigned")).map((m) => [m.to, m.body])).toEqual([[DANA, "Lead 1001 was reassigned to Sam Patel: no truck nearby. It is no longer yours."]]);
    const events = (await leadById(t, lead.id)).events.map((e: any) => e.type);
    expect(events).toContain("reassign_offered");
    expect(events.at(-1)).toBe("reassigned");
  });

  test("REASSIGN turned down by text: nothing goes back to intake, the owner is told why", async () => {
    const lead = await acceptedByDana();
    await text(DANA, "reassign 1001 sam no truck nearby");
    await text(SAM, "REJECT 1001 I am in Dallas all week");
    expect(await lastReply(SAM)).toBe("OK, lead 1001 stays with Dana Ruiz. They have been told why.");
    expect(await leadById(t, lead.id)).toMatchObject({ state: "accepted", ownerId: "dana", pendingOwnerId: null, rejections: [] });
    expect((await sent("reassign-not-taken")).map((m) => [m.to, m.body])).toEqual([[DANA, "Sam Patel turned down lead 1001: I am in Dallas all week. It stays yours."]]);
    expect(await sent("incomplete")).toEqual([]);
  });

  test("REASSIGN not answered within the lead's window lapses; the lead stays with its owner", async () => {
    const lead = await acceptedByDana();
    await text(DANA, "reassign 1001 sam no truck nearby");
    await at(14);
    expect((await leadById(t, lead.id)).pendingOwnerId).toBe("sam");
    await at(16);
    expect(await leadById(t, lead.id)).toMatchObject({ state: "accepted", ownerId: "dana", pendingOwnerId: null });
    expect((await sent("reassign-not-taken")).map((m) => m.body)).toEqual(["Sam Patel did not accept lead 1001 in time. It stays yours."]);
    await text(SAM, "ACCEPT 1001");
    expect(await lastReply(SAM)).toBe("Lead 1001 isn't waiting for you. Reply LIST to see your leads.");
  });

  test("AWAY keeps new offers from the member until BACK, and a config apply does not undo it", async () => {
    slug = await t.newBusiness((c) => {
      c.team.push({ id: "lee", name: "Lee Park", phone: "+15125550116", roles: ["dispatch"] });
    });
    await text(DANA, "AWAY");
    // The demo's on-call rotation is Dana and Omar: Omar takes her shift.
    expect(await lastReply(DANA)).toBe("You're AWAY: no new leads until you text BACK. Omar Lee covers on call.");
    const config = demoInput();
    config.slug = slug;
    config.team.push({ id: "lee", name: "Lee Park", phone: "+15125550116", roles: ["dispatch"] });
    config.name = "Acme Plumbing (renamed)";
    await applyBusinessConfig(t.deps.db, config, { appliedBy: "test", now: t.clock.now() });

    const { body: first } = await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550401" }));
    const { body: second } = await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550402" }));
    expect([first.ownerId, second.ownerId]).toEqual(["lee", "lee"]);

    await text(DANA, "back");
    expect((await messagesOf(t, slug)).filter((m) => m.purpose === "reply" && m.to === DANA).map((m) => m.body)).toContain(
      "You're BACK: new leads reach you again. Reply LIST to see yours.",
    );
    const { body: third } = await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550403" }));
    expect(third.ownerId).toBe("dana");
  });

  test("an on-call member going AWAY hears who covers, and WHO names who is on call now", async () => {
    slug = await t.newBusiness((c) => {
      // on_call held by role, not by a rotation: both members listing it are on call.
      c.schedules = [];
      c.team.push({ id: "lee", name: "Lee Park", phone: "+15125550116", roles: ["on_call"] });
    });
    await text(MIA, "who");
    expect(await lastReply(MIA)).toBe("On call now: Dana Ruiz +15125550111, Lee Park +15125550116. Manager: Mia Brooks +15125550113.");
    await text(DANA, "away");
    expect(await lastReply(DANA)).toBe("You're AWAY: no new leads until you text BACK. Lee Park covers on call.");
    await text(OMAR, "WHO");
    expect(await lastReply(OMAR)).toBe("On call now: Lee Park +15125550116. Manager: Mia Brooks +15125550113.");
  });

  test("AWAY is written in the history of each open lead the member owns", async () => {
    const lead = await acceptedByDana();
    await text(DANA, "away");
    await text(DANA, "away");
    await text(DANA, "back");
    const events = (await leadById(t, lead.id)).events.filter((e: any) => e.type.startsWith("member_")).map((e: any) => e.type);
    expect(events).toEqual(["member_away", "member_back"]);
  });

  test("customerTexts.onAccept: the customer hears once who has their request and the promised step", async () => {
    slug = await t.newBusiness((c) => {
      (c as any).customerTexts = { onAccept: true };
    });
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business: slug }));
    await text(DANA, "ACCEPT");
    await text(DANA, "reassign 1001 omar going home sick");
    await text(OMAR, "accept 1001");
    const updates = await sent("customer-update");
    expect(updates).toEqual([
      expect.objectContaining({ to: JANE, leadId: lead.id, body: "Acme Plumbing & Heating: Dana has your request. Next: Call back to book a visit.", sendAfter: null }),
    ]);
    expect((await leadById(t, lead.id)).events.some((e: any) => e.type === "customer_updated")).toBe(true);
  });

  test("customer texts are off by default, wait out quiet hours, and never reach an opted-out number", async () => {
    await t.call("POST", "/api/leads", completeLead({ business: slug }));
    await text(DANA, "ACCEPT");
    expect(await sent("customer-update")).toEqual([]);

    slug = await t.newBusiness((c) => {
      (c as any).customerTexts = { onAccept: true };
    });
    t.clock.set("2026-11-24T04:00:00Z"); // 22:00 in Chicago: quiet hours until 08:00
    await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550501" }));
    await text(DANA, "ACCEPT");
    const [held] = await sent("customer-update");
    expect(held).toMatchObject({ to: "+15125550501", sendAfter: "2026-11-24T14:00:00.000Z", status: "queued" });

    await text("+15125550502", "STOP");
    t.clock.set(new Date(MONDAY_9AM + 60 * MIN));
    await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550502" }));
    await text(DANA, "ACCEPT 1002");
    const toOptedOut = (await sent("customer-update")).filter((m) => m.to === "+15125550502");
    expect(toOptedOut).toHaveLength(1);
    expect(toOptedOut[0].status).toBe("suppressed");
  });
});
