import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { businesses, inboundEvents, leads, outboundMessages } from "../../src/db/schema/index.ts";
import { encodeTwilioForm } from "../../src/adapters/inbound/twilio.ts";
import { processCustomerText } from "../../src/intake/customer-sms.ts";
import { recordInbound } from "../../src/core/inbox.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadById, messagesOf } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";
import {
  acceptingMessaging,
  DANA,
  fixture,
  IVY,
  JANE,
  MIA,
  newSid,
  postTwilio,
  PUBLIC_URL,
  rejectionCount,
  sms,
  storedTwilioEvents,
} from "../helpers/twilio.ts";

describeOnBackends("Twilio webhooks on $name", ({ kind }) => {
  let slug: string;
  const t = useTestApp(kind, { messaging: acceptingMessaging() });
  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    slug = await t.newBusiness();
  });

  const lead = (id: string) => leadById(t, id);
  const offerToDana = async (over: Record<string, unknown> = {}) => {
    const { body } = await t.call("POST", "/api/leads", completeLead({ business: slug, ...over }));
    await t.settle();
    return body;
  };

  describe("signatures", () => {
    test("a request signed by Twilio's helper for the public URL is accepted and stored", async () => {
      const res = await postTwilio(t, slug, "sms", sms(DANA, "HELP"));
      expect(res.status).toBe(200);
      expect(await storedTwilioEvents(t, slug)).toHaveLength(1);
      expect(await rejectionCount(t, slug)).toBe(0);
    });

    const forged: [string, (p: Record<string, string>) => Parameters<typeof postTwilio>[4]][] = [
      ["a tampered body", (p) => ({ bodyParams: { ...p, Body: "ACCEPT" } })],
      ["a signature over the local URL instead of PUBLIC_URL", () => ({ signedUrl: `http://localhost/webhooks/${slug}/twilio/sms` })],
      ["a signature made with another auth token", () => ({ token: "not-the-token" })],
    ];
    test.each(forged)("%s is refused with 403, counted, and nothing is stored or sent", async (_, options) => {
      await offerToDana();
      const params = sms(DANA, "HELP");
      const res = await postTwilio(t, slug, "sms", params, options(params));
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text).error.code).toBe("forbidden");
      expect(await storedTwilioEvents(t, slug)).toHaveLength(0);
      expect(await rejectionCount(t, slug)).toBe(1);
      await t.settle();
      expect((await messagesOf(t, slug)).filter((m) => m.purpose === "reply")).toHaveLength(0);
    });

    test("a request without X-Twilio-Signature is refused", async () => {
      const res = await t.app.request(`/webhooks/${slug}/twilio/sms`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(sms(DANA, "HELP")).toString(),
      });
      expect(res.status).toBe(403);
      expect(await rejectionCount(t, slug)).toBe(1);
    });

    test("the gather query is part of what is signed", async () => {
      const { id } = await offerToDana();
      const params = { CallSid: newSid("CA"), Digits: "1" };
      const res = await postTwilio(t, slug, "gather", params, {
        query: `?lead=${id}&member=dana`,
        signedUrl: `${PUBLIC_URL}/webhooks/${slug}/twilio/gather?lead=${id}&member=mia`,
      });
      expect(res.status).toBe(403);
      expect((await lead(id)).state).toBe("offered");
    });

    test("an unknown business is 404", async () => {
      const res = await postTwilio(t, "no-such-business", "sms", sms(DANA, "HELP"));
      expect(res.status).toBe(404);
    });

    test("a verified body missing what the gateway needs is 400 naming the field", async () => {
      const { MessageSid: _, ...params } = sms(DANA, "HELP");
      const res = await postTwilio(t, slug, "sms", params);
      expect(res.status).toBe(400);
      const body = JSON.parse(res.text);
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.details.map((d: any) => d.path)).toContain("MessageSid");
    });
  });

  describe("redelivery", () => {
    test("a redelivered MessageSid changes nothing and sends nothing twice", async () => {
      const offered = await offerToDana();
      const params = sms(DANA, "ACCEPT");
      const first = await postTwilio(t, slug, "sms", params);
      const again = await postTwilio(t, slug, "sms", params);
      await t.settle();
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.text).toBe(first.text);
      const after = await lead(offered.id);
      expect(after.state).toBe("accepted");
      expect(after.events.filter((e: any) => e.type === "accepted")).toHaveLength(1);
      expect((await messagesOf(t, slug)).filter((m) => m.purpose === "reply")).toHaveLength(1);
      expect(await storedTwilioEvents(t, slug)).toHaveLength(1);
    });

    test("a redelivered dial-status CallSid makes one lead and one text-back", async () => {
      const params = fixture("dial-status-no-answer.json");
      const first = await postTwilio(t, slug, "dial-status", params);
      const again = await postTwilio(t, slug, "dial-status", params);
      await t.settle();
      expect(again.text).toBe(first.text);
      expect(again.text).toContain("<Record");
      const { body } = await t.call("GET", `/api/leads?business=${slug}`);
      expect(body.leads).toHaveLength(1);
      const messages = await messagesOf(t, slug);
      expect(messages.filter((m) => m.purpose === "text-back")).toHaveLength(1);
      expect(messages.filter((m) => m.purpose === "offer")).toHaveLength(1);
    });

    test("an event whose processing failed is done by its redelivery", async () => {
      const offered = await offerToDana();
      const params = sms(DANA, "ACCEPT");
      await postTwilio(t, slug, "sms", params);
      await t.settle();
      // As if the first attempt had died half-way: the acceptance undone, the row left failed.
      const [stored] = await storedTwilioEvents(t, slug);
      await t.deps.db.update(inboundEvents).set({ status: "failed" }).where(eq(inboundEvents.id, stored!.id));
      await t.deps.db.update(leads).set({ state: "offered", ownerId: "dana", acceptedAt: null }).where(eq(leads.id, offered.id));
      await t.deps.db.delete(outboundMessages).where(and(eq(outboundMessages.leadId, offered.id), eq(outboundMessages.purpose, "reply")));

      await postTwilio(t, slug, "sms", params);
      await t.settle();
      expect((await lead(offered.id)).state).toBe("accepted");
      expect((await messagesOf(t, slug)).filter((m) => m.purpose === "reply")).toHaveLength(1);
      expect((await storedTwilioEvents(t, slug))[0]).toMatchObject({ status: "processed", attempts: 2 });
    });

    test("a customer text stored just before a crash is processed by a later sweep; other Twilio rows are closed untouched", async () => {
      const [business] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug));
      const stranded = await recordInbound(t.deps.db, {
        businessId: business!.id,
        provider: "twilio",
        idempotencyKey: "twilio:sms:SMstranded",
        rawBody: encodeTwilioForm(sms("+15125550166", "Is anyone there? Leak under the sink", { MessageSid: "SMstranded" })),
        headers: new Headers(),
        now: t.clock.now(),
      });
      await processCustomerText(t.deps, stranded!);
      await t.settle();
      const [created] = (await t.call("GET", `/api/leads?business=${slug}`)).body.leads;
      expect(created).toMatchObject({ channel: "twilio_sms", phone: "+15125550166" });

      await postTwilio(t, slug, "sms", sms(DANA, "LIST"));
      await t.settle();
      const command = (await storedTwilioEvents(t, slug)).find((e) => e.rawBody.includes("LIST"))!;
      await t.deps.db.update(inboundEvents).set({ status: "failed" }).where(eq(inboundEvents.id, command.id));
      await processCustomerText(t.deps, command.id);
      await t.settle();
      const closed = (await storedTwilioEvents(t, slug)).find((e) => e.id === command.id);
      expect(closed).toMatchObject({ status: "processed", lastError: "a command or consent keyword, handled by the webhook" });
      expect((await t.call("GET", `/api/leads?business=${slug}`)).body.leads).toHaveLength(1);
      expect((await messagesOf(t, slug)).filter((m) => m.purpose === "reply")).toHaveLength(1);
    });

    test("a redelivered keypress is answered without acting twice", async () => {
      const { id } = await offerToDana();
      const params = { CallSid: newSid("CA"), Digits: "1" };
      await postTwilio(t, slug, "gather", params, { query: `?lead=${id}&member=dana` });
      const again = await postTwilio(t, slug, "gather", params, { query: `?lead=${id}&member=dana` });
      await t.settle();
      expect(again.text).toContain("We already have that answer.");
      expect((await lead(id)).events.filter((e: any) => e.type === "accepted")).toHaveLength(1);
      expect((await messagesOf(t, slug)).filter((m) => m.purpose === "reply")).toHaveLength(1);
    });
  });

  describe("opt-outs", () => {
    test("a member who texted STOP gets offers by call instead, and the manager is told once", async () => {
      const stop = await postTwilio(t, slug, "sms", sms(DANA, "STOP", { OptOutType: "STOP" }));
      expect(stop.text).toContain("<Response/>");
      const first = await offerToDana();
      const second = await offerToDana({ phone: "+15125550124" });

      const messages = await messagesOf(t, slug);
      for (const offered of [first, second]) {
        const mine = messages.filter((m) => m.leadId === offered.id && m.purpose === "offer");
        expect(mine.find((m) => m.channel === "sms")).toMatchObject({ to: DANA, status: "suppressed" });
        expect(mine.find((m) => m.channel === "sms").statusReason).toContain("opted out");
        expect(mine.find((m) => m.channel === "voice")).toMatchObject({ to: DANA, status: "queued" });
        expect(mine.find((m) => m.channel === "voice").body).toMatch(/^Handoff lead 1 0 0 \d\. NEW lead 100\d STANDARD: Jane Doe/);
        expect((await lead(offered.id)).events.find((e: any) => e.type === "offer_fallback").detail).toMatchObject({ from: "sms", to: "voice", cause: "opted_out" });
      }
      const notices = messages.filter((m) => m.purpose === "opted-out");
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ to: MIA, body: expect.stringMatching(/^Dana Ruiz replied STOP, so lead offers will reach them by phone call\./) });
      // STOP is consent, not a command: no reply of ours (Twilio confirms it).
      expect(messages.filter((m) => m.purpose === "reply")).toHaveLength(0);
    });

    test("START after STOP brings offers back to SMS", async () => {
      await postTwilio(t, slug, "sms", sms(DANA, "stop"));
      await postTwilio(t, slug, "sms", sms(DANA, "START", { OptOutType: "START" }));
      const offered = await offerToDana();
      const mine = (await messagesOf(t, slug)).filter((m) => m.leadId === offered.id);
      expect(mine.map((m) => [m.channel, m.status])).toEqual([["sms", "queued"]]);
    });

    test("a customer's STOP suppresses the missed-call text-back", async () => {
      await postTwilio(t, slug, "sms", fixture("sms-customer-stop.json"));
      await postTwilio(t, slug, "dial-status", fixture("dial-status-no-answer.json"));
      await t.settle();
      const textBack = (await messagesOf(t, slug)).find((m) => m.purpose === "text-back");
      expect(textBack).toMatchObject({ to: JANE, status: "suppressed" });
      const { body } = await t.call("GET", `/api/leads?business=${slug}`);
      expect(body.leads).toHaveLength(1);
    });

    test("a customer's plain \"yes\" is a message, not a consent change", async () => {
      await postTwilio(t, slug, "dial-status", fixture("dial-status-no-answer.json"));
      t.clock.advance(60_000);
      await postTwilio(t, slug, "sms", sms(JANE, "Yes"));
      await t.settle();
      const [only] = (await t.call("GET", `/api/leads?business=${slug}`)).body.leads;
      expect((await lead(only.id)).summaryNotes).toContain("Customer texted: Yes");
    });
  });

  describe("status callbacks", () => {
    test("a failed offer SMS is recorded with its error code and the member is called at once", async () => {
      const offered = await offerToDana();
      const [text] = (await messagesOf(t, slug)).filter((m) => m.purpose === "offer");
      const res = await postTwilio(t, slug, "status", {
        ...fixture("message-status-failed.json"),
        MessageSid: text.providerId,
        SmsSid: text.providerId,
        To: DANA,
      });
      expect(res.status).toBe(200);
      expect(res.text).toContain("<Response/>");
      await t.settle();
      const messages = (await messagesOf(t, slug)).filter((m) => m.leadId === offered.id);
      expect(messages.find((m) => m.id === text.id)).toMatchObject({ status: "failed", statusReason: "Twilio error 30003" });
      expect(messages.find((m) => m.channel === "voice")).toMatchObject({ to: DANA, purpose: "offer" });
      const events = (await lead(offered.id)).events;
      expect(events.find((e: any) => e.type === "message_status").detail).toMatchObject({ status: "failed", errorCode: "30003", channel: "sms", memberId: "dana" });
      expect(events.find((e: any) => e.type === "offer_fallback").detail).toMatchObject({ cause: "failed", reason: "Twilio error 30003" });
    });

    test("delivery moves forward only: a late 'sent' does not undo 'delivered'", async () => {
      await offerToDana();
      const [text] = (await messagesOf(t, slug)).filter((m) => m.purpose === "offer");
      await postTwilio(t, slug, "status", { ...fixture("message-status-delivered.json"), MessageSid: text.providerId });
      await postTwilio(t, slug, "status", { ...fixture("message-status-delivered.json"), MessageSid: text.providerId, MessageStatus: "sent" });
      const [after] = (await messagesOf(t, slug)).filter((m) => m.id === text.id);
      expect(after.status).toBe("delivered");
    });

    test("a failed offer call escalates to the class's target, who joins the offerees", async () => {
      const offered = await offerToDana({ urgency: "emergency" });
      const call = (await messagesOf(t, slug)).find((m) => m.purpose === "offer" && m.channel === "voice");
      await postTwilio(t, slug, "status", { ...fixture("call-status-failed.json"), CallSid: call.providerId });
      await t.settle();
      const after = await lead(offered.id);
      expect(after).toMatchObject({ state: "offered", ownerId: "dana", offeredTo: ["dana", "mia"], escalationLevel: 1 });
      expect(after.events.find((e: any) => e.type === "escalated").detail).toMatchObject({ role: "manager", to: "mia", level: 1, reason: expect.stringContaining("offer call to dana failed") });
      const escalations = (await messagesOf(t, slug)).filter((m) => m.purpose === "escalation");
      expect(escalations.map((m) => [m.to, m.channel]).sort()).toEqual([[MIA, "sms"], [MIA, "voice"]]);
      expect(escalations.find((m) => m.channel === "sms").body).toMatch(/^ESCALATED lead 1001 EMERGENCY/);
    });

    test("an unanswered offer call is recorded and left to the escalation timer", async () => {
      const offered = await offerToDana({ urgency: "emergency" });
      const call = (await messagesOf(t, slug)).find((m) => m.purpose === "offer" && m.channel === "voice");
      await postTwilio(t, slug, "status", { CallSid: call.providerId, CallStatus: "no-answer", To: DANA });
      await t.settle();
      expect(await lead(offered.id)).toMatchObject({ offeredTo: ["dana"], escalationLevel: 0 });
      expect((await messagesOf(t, slug)).find((m) => m.id === call.id).status).toBe("no-answer");
    });
  });

  describe("keypad answers", () => {
    const press = (id: string, member: string, digits: string) =>
      postTwilio(t, slug, "gather", { ...fixture("gather-accept.json"), CallSid: newSid("CA"), Digits: digits }, { query: `?lead=${id}&member=${member}` });

    test("1 accepts the lead and texts the details", async () => {
      const offered = await offerToDana();
      const res = await press(offered.id, "dana", "1");
      expect(res.type).toContain("text/xml");
      expect(res.text).toContain("<Say>Accepted. Lead 1 0 0 1 is yours.");
      expect(res.text).toContain("<Hangup/>");
      await t.settle();
      expect(await lead(offered.id)).toMatchObject({ state: "accepted", ownerId: "dana" });
      expect((await lead(offered.id)).events.find((e: any) => e.type === "accepted").detail.via).toBe("voice");
      const [reply] = (await messagesOf(t, slug)).filter((m) => m.purpose === "reply");
      expect(reply).toMatchObject({ to: DANA, body: expect.stringMatching(/^Accepted lead 1001 \(Jane Doe\)/) });
    });

    test("2 sends the lead back to intake with the phone reason, and intake is told", async () => {
      const offered = await offerToDana();
      const res = await press(offered.id, "dana", "2");
      expect(res.text).toContain("Lead 1 0 0 1 goes back to intake.");
      await t.settle();
      const after = await lead(offered.id);
      expect(after.state).toBe("intake");
      expect(after.rejections[0]).toMatchObject({ reason: "Rejected by phone; call intake for details", by: "dana" });
      expect((await messagesOf(t, slug)).find((m) => m.purpose === "rejected")).toMatchObject({ to: IVY });
    });

    test("a lead back with intake is no longer waiting", async () => {
      const offered = await offerToDana();
      await t.call("POST", `/api/leads/${offered.id}/reject`, { memberId: "dana", reason: "no address" });
      const res = await press(offered.id, "dana", "1");
      expect(res.text).toContain("Lead 1 0 0 1 is no longer waiting for you.");
      expect((await lead(offered.id)).state).toBe("intake");
    });

    test("another key is explained and changes nothing", async () => {
      const offered = await offerToDana();
      const res = await press(offered.id, "dana", "7");
      expect(res.text).toContain("Sorry, only 1 or 2 work.");
      expect((await lead(offered.id)).state).toBe("offered");
    });

    test("a lead someone else accepted is explained, not an error", async () => {
      const offered = await offerToDana();
      await t.call("POST", `/api/leads/${offered.id}/accept`, { memberId: "dana" });
      const res = await press(offered.id, "mia", "1");
      expect(res.status).toBe(200);
      expect(res.text).toContain("<Say>Lead 1 0 0 1 was already accepted by Dana Ruiz. Nothing to do. Goodbye.</Say>");
      expect((await lead(offered.id)).ownerId).toBe("dana");
    });

    test("a lead of another business is not found", async () => {
      const other = await t.newBusiness();
      const { body: theirs } = await t.call("POST", "/api/leads", completeLead({ business: other }));
      const res = await press(theirs.id, "dana", "1");
      expect(res.text).toContain("we could not find that lead");
      expect((await lead(theirs.id)).state).toBe("offered");
    });
  });

  describe("inbound calls", () => {
    test("a call rings forwardTo for dialTimeoutSeconds and reports to dial-status", async () => {
      const res = await postTwilio(t, slug, "voice", fixture("voice-inbound.json"));
      expect(res.status).toBe(200);
      expect(res.type).toContain("text/xml");
      expect(res.text).toContain(`action="${PUBLIC_URL}/webhooks/${slug}/twilio/dial-status"`);
      expect(res.text).toContain('timeout="20"');
      expect(res.text).toContain(">+15125550199</Dial>");
      expect((await t.call("GET", `/api/leads?business=${slug}`)).body.leads).toHaveLength(0);
    });

    test("with no forwardTo the call is missed at once", async () => {
      const bare = await t.newBusiness((c) => {
        delete c.forwardTo;
      });
      const res = await postTwilio(t, bare, "voice", fixture("voice-inbound.json"));
      expect(res.text).toContain(`<Record`);
      expect(res.text).toContain(`action="${PUBLIC_URL}/webhooks/${bare}/twilio/voicemail"`);
      await t.settle();
      const [missed] = (await t.call("GET", `/api/leads?business=${bare}`)).body.leads;
      expect(missed).toMatchObject({ source: "missed_call", phone: JANE, ownerId: "ivy" });
      expect((await lead(missed.id)).events.find((e: any) => e.type === "missed_call").detail.dialStatus).toBe("no-forward");
    });
  });
});
