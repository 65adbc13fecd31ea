import { sql } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { sweepInbox } from "../../src/intake/inbox-sweep.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadsOf as listLeads, messagesOf } from "../helpers/listings.ts";
import { acceptingMessaging, fixture, JANE, postTwilio, sms } from "../helpers/twilio.ts";

// A lead and the customer reply it calls for (the missed-call text-back, the auto-reply to a
// first text) commit in one transaction. The failure is injected in this suite's own database:
// a trigger that refuses the reply's outbox row, as a full disk or a dropped connection would
// at that moment. Before, the lead committed alone and the reply was lost for good.

describeOnBackends("a lead and its customer reply commit together on $name", ({ kind }) => {
  let slug: string;
  const messaging = acceptingMessaging();
  const t = useTestApp(kind, { messaging });
  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    messaging.sent.length = 0;
    slug = await t.newBusiness();
  });
  const leadsOf = () => listLeads(t, slug);

  async function refuseReplies(purpose: string) {
    await t.deps.db.execute(
      sql.raw(`CREATE OR REPLACE FUNCTION refuse_reply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'injected: the outbox refused a customer reply'; END $$`),
    );
    await t.deps.db.execute(
      sql.raw(`CREATE TRIGGER refuse_reply BEFORE INSERT ON outbound_messages FOR EACH ROW
        WHEN (NEW.purpose = '${purpose}') EXECUTE FUNCTION refuse_reply()`),
    );
  }
  const allowReplies = () => t.deps.db.execute(sql.raw("DROP TRIGGER IF EXISTS refuse_reply ON outbound_messages"));

  test("a missed call whose text-back cannot be written leaves no lead; Twilio's retry makes both, once", async () => {
    await refuseReplies("text-back");
    try {
      const failed = await postTwilio(t, slug, "dial-status", fixture("dial-status-no-answer.json"));
      expect(failed.status).toBe(500);
      await t.settle();
      expect(await leadsOf()).toHaveLength(0);
      expect(await messagesOf(t, slug)).toHaveLength(0);
    } finally {
      await allowReplies();
    }
    // Twilio retries a 5xx: the lead and its text-back now commit together.
    await postTwilio(t, slug, "dial-status", fixture("dial-status-no-answer.json"));
    await t.settle();
    const leads = await leadsOf();
    expect(leads).toHaveLength(1);
    const textBacks = (await messagesOf(t, slug)).filter((m) => m.purpose === "text-back");
    expect(textBacks).toEqual([expect.objectContaining({ to: JANE, leadId: leads[0].id })]);
    expect(messaging.sent.filter((m) => m.to === JANE)).toHaveLength(1);
  });

  test("a first text whose auto-reply cannot be written leaves no lead; the inbox retry makes both, once", async () => {
    await refuseReplies("auto-reply");
    try {
      const answer = await postTwilio(t, slug, "sms", sms(JANE, "Hi, my water heater is leaking at 12 Elm St."));
      // Stored before the 200: processed after it, and that processing fails whole.
      expect(answer.status).toBe(200);
      await t.settle();
      expect(await leadsOf()).toHaveLength(0);
      expect(await messagesOf(t, slug)).toHaveLength(0);
    } finally {
      await allowReplies();
    }
    t.clock.advance(60_000);
    await sweepInbox(t.deps);
    await t.settle();
    const leads = await leadsOf();
    expect(leads).toHaveLength(1);
    expect((await messagesOf(t, slug)).filter((m) => m.purpose === "auto-reply")).toEqual([expect.objectContaining({ to: JANE, leadId: leads[0].id })]);
    expect(messaging.sent.filter((m) => m.to === JANE)).toHaveLength(1);
  });
});
