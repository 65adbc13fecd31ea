import { beforeEach, expect, test } from "vitest";
import { heuristicExtractor } from "../../src/adapters/extractor/heuristic/index.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadsOf as listLeads, leadById, messagesOf } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";
import { acceptingMessaging, DANA, fixture, IVY, JANE, newSid, postTwilio, PUBLIC_URL, sms } from "../helpers/twilio.ts";

describeOnBackends("missed-call recovery and customer texts on $name", ({ kind }) => {
  let slug: string;
  // The offline extractor reads the customer's texts, as it does when no LLM is configured.
  const t = useTestApp(kind, { messaging: acceptingMessaging(), deps: { extractor: heuristicExtractor() } });
  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    slug = await t.newBusiness();
  });

  const leadsOf = () => listLeads(t, slug);
  const lead = (id: string) => leadById(t, id);

  test("a missed call becomes an owned lead with a callback due, the caller is texted back, and their reply fills the lead", async () => {
    // 1. The call comes in and rings the business's own phone.
    const ring = await postTwilio(t, slug, "voice", fixture("voice-inbound.json"));
    expect(ring.text).toContain("<Dial");

    // 2. Nobody answers: a lead owned by the routed member (missed_call → Ivy), due in 10 minutes.
    const missed = await postTwilio(t, slug, "dial-status", fixture("dial-status-no-answer.json"));
    expect(missed.type).toContain("text/xml");
    expect(missed.text).toContain("<Say>Sorry, nobody at Acme Plumbing &amp; Heating could take your call right now.");
    expect(missed.text).toContain(`action="${PUBLIC_URL}/webhooks/${slug}/twilio/voicemail"`);
    await t.settle();
    const [created] = await leadsOf();
    expect(created).toMatchObject({
      code: 1001,
      state: "offered",
      source: "missed_call",
      channel: "twilio_voice",
      phone: JANE,
      ownerId: "ivy",
      promisedNextStep: "Call back",
    });
    expect(created.summaryNotes).toBe("Missed call from +15125550123 at 9:00 AM CST: nobody answered.");
    expect(new Date(created.nextActionDueAt).getTime() - Date.parse("2026-11-23T15:00:00Z")).toBe(10 * 60_000);

    let messages = await messagesOf(t, slug);
    const textBack = messages.find((m) => m.purpose === "text-back");
    expect(textBack).toMatchObject({ to: JANE, channel: "sms", leadId: created.id });
    expect(textBack.body).toBe("Sorry we missed your call to Acme Plumbing & Heating. Reply with what you need and we'll call you right back.");
    expect(messages.find((m) => m.purpose === "offer")).toMatchObject({ to: IVY });

    // 3. The caller leaves a voicemail: its URL goes on the lead and the owner hears of it.
    const recording = "https://api.twilio.com/2010-04-01/Accounts/AC5f3c/Recordings/RE0001";
    const vm = await postTwilio(t, slug, "voicemail", {
      CallSid: fixture("dial-status-no-answer.json").CallSid!,
      RecordingUrl: recording,
      RecordingSid: "RE0001",
      RecordingDuration: "34",
      From: JANE,
    });
    expect(vm.text).toContain("<Say>Thank you.");
    await t.settle();
    const withVoicemail = await lead(created.id);
    expect(withVoicemail.recordingUrl).toBe(recording);
    expect(withVoicemail.events.find((e: any) => e.type === "voicemail").detail).toMatchObject({ recordingSid: "RE0001", durationSeconds: 34 });
    expect((await messagesOf(t, slug)).find((m) => m.purpose === "voicemail")).toMatchObject({ to: IVY, body: `Lead 1001 (+15125550123) left a 34s voicemail: ${recording}` });

    // 4. Three minutes later she answers the text-back: the same lead is filled and Ivy is told.
    t.clock.advance(3 * 60_000);
    const reply = await postTwilio(t, slug, "sms", fixture("sms-customer-reply.json"));
    expect(reply.text).toContain("<Response/>");
    await t.settle();
    expect(await leadsOf()).toHaveLength(1);
    const filled = await lead(created.id);
    expect(filled).toMatchObject({ fullName: "Jane", serviceAddress: "1208 E 4th St, Austin", state: "offered", ownerId: "ivy" });
    expect(filled.summaryNotes).toContain("Missed call from +15125550123");
    expect(filled.summaryNotes).toContain("Customer texted: Hi, it's Jane. Address is 1208 E 4th St, Austin.");
    expect(filled.missingFields).not.toContain("serviceAddress");
    expect(filled.events.find((e: any) => e.type === "customer_message").detail).toMatchObject({ from: JANE });
    expect(filled.fieldSources.serviceAddress).toBe("extractor:heuristic");

    messages = await messagesOf(t, slug);
    const notice = messages.find((m) => m.purpose === "customer-reply");
    expect(notice).toMatchObject({ to: IVY, leadId: created.id });
    expect(notice.body).toMatch(/^Lead 1001 \(Jane\) texted: "Hi, it's Jane\. Address is 1208 E 4th St, Austin\./);
    // Nothing automatic goes back to a customer who already has a lead.
    expect(messages.filter((m) => m.purpose === "auto-reply")).toHaveLength(0);
  });

  test("an answered call creates nothing", async () => {
    const res = await postTwilio(t, slug, "dial-status", fixture("dial-status-completed.json"));
    expect(res.text).toContain("<Hangup/>");
    expect(res.text).not.toContain("<Record");
    await t.settle();
    expect(await leadsOf()).toHaveLength(0);
    expect(await messagesOf(t, slug)).toHaveLength(0);
  });

  test.each(["busy", "failed", "canceled"])("a %s dial is a missed call too", async (status) => {
    await postTwilio(t, slug, "dial-status", { ...fixture("dial-status-no-answer.json"), DialCallStatus: status });
    await t.settle();
    expect(await leadsOf()).toMatchObject([{ source: "missed_call", ownerId: "ivy" }]);
  });

  test("a second missed call from the same caller updates the lead and tells its owner, without a second text-back", async () => {
    await postTwilio(t, slug, "dial-status", fixture("dial-status-no-answer.json"));
    t.clock.advance(5 * 60_000);
    await postTwilio(t, slug, "dial-status", { ...fixture("dial-status-no-answer.json"), CallSid: newSid("CA") });
    await t.settle();
    const all = await leadsOf();
    expect(all).toHaveLength(1);
    const messages = await messagesOf(t, slug);
    expect(messages.filter((m) => m.purpose === "text-back")).toHaveLength(1);
    expect(messages.find((m) => m.purpose === "missed-call")).toMatchObject({ to: IVY, body: "Lead 1001 (+15125550123) called again and nobody answered. Call them back at +15125550123." });
  });

  test("a team member's own missed call is no lead", async () => {
    await postTwilio(t, slug, "dial-status", { ...fixture("dial-status-no-answer.json"), From: DANA, Caller: DANA });
    await t.settle();
    expect(await leadsOf()).toHaveLength(0);
  });

  test("a text from an unknown number is a new twilio_sms lead and gets one automatic reply per 5 minutes", async () => {
    const stranger = "+15125550166";
    await postTwilio(t, slug, "sms", sms(stranger, "Do you fix tankless water heaters?"));
    await t.settle();
    const [first] = await leadsOf();
    expect(first).toMatchObject({ channel: "twilio_sms", phone: stranger, state: "intake" });
    expect(first.summaryNotes).toBe("Customer texted: Do you fix tankless water heaters?");
    expect((await messagesOf(t, slug)).filter((m) => m.purpose === "auto-reply")).toMatchObject([
      { to: stranger, body: "Thanks for texting Acme Plumbing & Heating. We got your message and someone will get back to you shortly." },
    ]);

    // Closed as spam, then the number texts again a minute later: a new lead, but no second reply.
    await t.call("POST", `/api/leads/${first.id}/close`, { outcome: "spam" });
    t.clock.advance(60_000);
    await postTwilio(t, slug, "sms", sms(stranger, "hello?"));
    await t.settle();
    expect(await leadsOf()).toHaveLength(2);
    expect((await messagesOf(t, slug)).filter((m) => m.purpose === "auto-reply")).toHaveLength(1);

    // Past the five minutes it may answer again.
    const [second] = await leadsOf();
    await t.call("POST", `/api/leads/${second.id}/close`, { outcome: "spam" });
    t.clock.advance(5 * 60_000);
    await postTwilio(t, slug, "sms", sms(stranger, "anyone?"));
    await t.settle();
    expect((await messagesOf(t, slug)).filter((m) => m.purpose === "auto-reply")).toHaveLength(2);
  });

  test("a customer's text to an accepted lead reaches its owner", async () => {
    const { body: offered } = await t.call("POST", "/api/leads", completeLead({ business: slug }));
    await t.call("POST", `/api/leads/${offered.id}/accept`, { memberId: "dana" });
    t.clock.advance(60_000);
    await postTwilio(t, slug, "sms", sms(JANE, "Gate code is 4411 👍"));
    await t.settle();
    expect(await leadsOf()).toHaveLength(1);
    const notice = (await messagesOf(t, slug)).find((m) => m.purpose === "customer-reply");
    expect(notice).toMatchObject({ to: DANA, body: 'Lead 1001 (Jane Doe) texted: "Gate code is 4411 👍"' });
    expect((await lead(offered.id)).summaryNotes).toContain("Customer texted: Gate code is 4411 👍");
  });
});
