import { beforeEach, expect, test } from "vitest";
import type { Background } from "../../src/core/deps.ts";
import { inProcessBackground } from "../../src/runtime/background.ts";
import { silentLogger } from "../../src/adapters/logger.ts";
import { sweepOutbox } from "../../src/messaging/outbox-sweep.ts";
import { sweepInbox } from "../../src/intake/inbox-sweep.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { messagesOf } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";
import { acceptingMessaging, DANA, fixture, JANE, postTwilio, sms } from "../helpers/twilio.ts";

// The demo business: America/Chicago, quiet hours 21:00–08:00 (the default).
// 2026-11-24T09:00:00Z is 03:00 CST; 14:00Z is 08:00 CST, when quiet hours end.

/** Background work that can be dropped, as a process dying right after its 2xx drops it. */
function droppableBackground(): Background & { dropping: boolean } {
  const real = inProcessBackground(silentLogger);
  return {
    dropping: false,
    defer(name, task, opts) {
      if (!this.dropping) real.defer(name, task, opts);
    },
    drain: () => real.drain(),
  };
}

describeOnBackends("quiet hours for customer texts on $name", ({ kind }) => {
  let slug: string;
  const messaging = acceptingMessaging();
  const background = droppableBackground();
  const t = useTestApp(kind, { messaging, deps: { background } });
  beforeEach(async () => {
    background.dropping = false;
    slug = await t.newBusiness();
  });
  const sentTo = (phone: string) => messaging.sent.filter((m) => m.to === phone).map((m) => m.body);

  test("a missed call at 3 AM is texted back at once: it answers the customer's own contact", async () => {
    t.clock.set("2026-11-24T09:00:00Z");
    messaging.sent.length = 0;
    await postTwilio(t, slug, "dial-status", fixture("dial-status-no-answer.json"));
    await t.settle();
    const textBack = (await messagesOf(t, slug)).find((m) => m.purpose === "text-back");
    expect(textBack).toMatchObject({ to: JANE, sendAfter: null, sentAt: "2026-11-24T09:00:00.000Z" });
    expect(sentTo(JANE)).toHaveLength(1);
  });

  test("a reply to a text processed long after it arrived waits for the end of quiet hours, then goes once", async () => {
    // 22:00 CST: the text is acknowledged, then the process dies before handling it.
    t.clock.set("2026-11-24T04:00:00Z");
    messaging.sent.length = 0;
    background.dropping = true;
    await postTwilio(t, slug, "sms", sms(JANE, "Hi, this is Jane at 12 Elm St. My water heater is leaking."));
    background.dropping = false;
    // Back 20 minutes later: the inbox sweep handles it; the auto-reply is no longer an answer
    // to something the customer just did, so it waits for 08:00.
    t.clock.advance(20 * 60_000);
    await sweepInbox(t.deps);
    await t.settle();
    const reply = () => messagesOf(t, slug).then((all) => all.find((m) => m.purpose === "auto-reply"));
    expect(await reply()).toMatchObject({ to: JANE, status: "queued", providerId: null, sendAfter: "2026-11-24T14:00:00.000Z" });

    t.clock.set("2026-11-24T13:59:59Z");
    await sweepOutbox(t.deps);
    expect(sentTo(JANE)).toHaveLength(0);

    t.clock.set("2026-11-24T14:00:00Z");
    await sweepOutbox(t.deps);
    await sweepOutbox(t.deps);
    t.clock.advance(60_000);
    await sweepOutbox(t.deps);
    expect(sentTo(JANE)).toHaveLength(1);
    expect(await reply()).toMatchObject({ sentAt: "2026-11-24T14:00:00.000Z" });
    expect((await reply()).providerId).toMatch(/^SM/);
  });

  test("a customer's text answered within 15 minutes gets its auto-reply at once, at night", async () => {
    t.clock.set("2026-11-24T09:00:00Z");
    messaging.sent.length = 0;
    await postTwilio(t, slug, "sms", sms(JANE, "Is anyone there? Pipe burst in the basement."));
    await t.settle();
    expect((await messagesOf(t, slug)).find((m) => m.purpose === "auto-reply")).toMatchObject({ sendAfter: null, sentAt: "2026-11-24T09:00:00.000Z" });
    expect(sentTo(JANE)).toHaveLength(1);
  });

  test("texts to team members are never held: an offer at 3 AM goes out at once", async () => {
    t.clock.set("2026-11-24T09:00:00Z");
    messaging.sent.length = 0;
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business: slug, urgency: "emergency" }));
    await t.settle();
    const offer = (await messagesOf(t, slug)).find((m) => m.purpose === "offer" && m.leadId === lead.id && m.channel === "sms");
    expect(offer).toMatchObject({ sendAfter: null, sentAt: "2026-11-24T09:00:00.000Z" });
    expect(offer.to).toBe(DANA);
    // Urgent: the text and the call both went out at once.
    expect(messaging.sent.filter((m) => m.to === DANA).map((m) => m.channel).sort()).toEqual(["sms", "voice"]);
  });
});
