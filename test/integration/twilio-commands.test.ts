import { beforeEach, expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadById, messagesOf } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";
import { acceptingMessaging, DANA, IVY, MIA, postTwilio, sms } from "../helpers/twilio.ts";

/** One row of the command grammar, end to end: leads waiting for Dana, her text, what follows. */
interface Case {
  name: string;
  /** How many complete leads are offered to Dana first (codes 1001, 1002…). */
  waiting: number;
  /** Dana accepts lead 1001 by API before texting. */
  acceptedFirst?: boolean;
  text: string;
  reply: string | RegExp;
  /** States of 1001, 1002… afterwards. */
  states: string[];
}

const CASES: Case[] = [
  { name: "ACCEPT with one lead waiting accepts it", waiting: 1, text: "ACCEPT", reply: /^Accepted lead 1001 \(Jane Doe\)\. Due 9:15 AM CST: Call back to book a visit\. Call them at \+15125550200\.$/, states: ["accepted"] },
  { name: "accept #1001 accepts that lead", waiting: 2, text: "accept #1001", reply: /^Accepted lead 1001 /, states: ["accepted", "offered"] },
  { name: "Accept. (case and punctuation) accepts", waiting: 1, text: "Accept.", reply: /^Accepted lead 1001 /, states: ["accepted"] },
  { name: "bare ACCEPT with two leads waiting lists both codes and changes nothing", waiting: 2, text: "ACCEPT", reply: "You have 2 leads waiting: 1001, 1002. Reply ACCEPT <code>.", states: ["offered", "offered"] },
  { name: "bare ACCEPT with nothing waiting says so", waiting: 0, text: "ACCEPT", reply: "No leads are waiting for you. Reply LIST to see the ones you own.", states: [] },
  { name: "REJECT without a reason asks for one and changes nothing", waiting: 1, text: "REJECT 1001", reply: "Say what's missing: REJECT 1001 <reason>.", states: ["offered"] },
  { name: "bare REJECT without a reason asks for one naming the waiting lead", waiting: 1, text: "reject", reply: "Say what's missing: REJECT 1001 <reason>.", states: ["offered"] },
  { name: "REJECT 1001 - no address sends it back to intake", waiting: 1, text: "REJECT 1001 - no address", reply: "Lead 1001 sent back to intake: no address.", states: ["intake"] },
  { name: "REJECT after ACCEPT is refused with why", waiting: 1, acceptedFirst: true, text: "REJECT 1001 wrong town", reply: "Lead 1001 is already accepted; ask the office to reassign it.", states: ["accepted"] },
  { name: "REJECT without a reason after ACCEPT is refused for being accepted", waiting: 1, acceptedFirst: true, text: "REJECT 1001", reply: "Lead 1001 is already accepted; ask the office to reassign it.", states: ["accepted"] },
  { name: "ACCEPT of a lead already hers says it is hers", waiting: 1, acceptedFirst: true, text: "ACCEPT 1001", reply: "You already accepted lead 1001. It's yours.", states: ["accepted"] },
  { name: "ACCEPT of a code that is not hers changes nothing", waiting: 1, text: "ACCEPT 1077", reply: "Lead 1077 isn't waiting for you. Reply LIST to see your leads.", states: ["offered"] },
  { name: "LIST shows waiting leads and the ones she owns", waiting: 2, acceptedFirst: true, text: "list", reply: "Waiting (1): 1002 Jane Doe due 9:15 AM CST. Yours (1): 1001 Jane Doe due 9:15 AM CST. Reply ACCEPT <code>.", states: ["accepted", "offered"] },
  { name: "HELP lists the commands", waiting: 1, text: "HELP", reply: /^ACCEPT <code>, REJECT <code> <why>, NEXT <code> <what> <when>, NOTE <code> <text>, DONE <code> <outcome>, REASSIGN <code> <name> <why>, LIST/, states: ["offered"] },
  { name: "an unknown text gets the commands and changes nothing", waiting: 1, text: "on my way", reply: "Sorry, I didn't get that, so nothing changed. Check the code and reply again, or HELP for the commands.", states: ["offered"] },
];

describeOnBackends("SMS commands from team members on $name", ({ kind }) => {
  let slug: string;
  const t = useTestApp(kind, { messaging: acceptingMessaging() });
  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    slug = await t.newBusiness();
  });

  /** A complete standard lead, offered to Dana (dispatch); each from its own phone number. */
  const offerToDana = async (business: string, n: number) => {
    const { body } = await t.call("POST", "/api/leads", completeLead({ business, phone: `+1512555${String(200 + n).padStart(4, "0")}` }));
    expect(body).toMatchObject({ state: "offered", ownerId: "dana" });
    return body;
  };
  const repliesTo = async (business: string, phone: string) =>
    (await messagesOf(t, business)).filter((m) => m.purpose === "reply" && m.to === phone);
  const stateOf = (id: string) => leadById(t, id);

  test.each(CASES)("$name", async (c) => {
    const leads = [];
    for (let i = 0; i < c.waiting; i++) leads.push(await offerToDana(slug, i));
    if (c.acceptedFirst) await t.call("POST", `/api/leads/${leads[0].id}/accept`, { memberId: "dana" });

    const res = await postTwilio(t, slug, "sms", sms(DANA, c.text));
    expect(res.status).toBe(200);
    expect(res.type).toContain("text/xml");
    expect(res.text).toContain("<Response/>");
    await t.settle();

    const replies = await repliesTo(slug, DANA);
    expect(replies).toHaveLength(1);
    if (typeof c.reply === "string") expect(replies[0].body).toBe(c.reply);
    else expect(replies[0].body).toMatch(c.reply);
    expect(replies[0].channel).toBe("sms");
    expect(await Promise.all(leads.map(async (l) => (await stateOf(l.id)).state))).toEqual(c.states);
  });

  test("REJECT with a reason records it and tells intake, with the member's words", async () => {
    const lead = await offerToDana(slug, 0);
    await postTwilio(t, slug, "sms", sms(DANA, "REJECT 1001: no gate code"));
    await t.settle();
    const after = await stateOf(lead.id);
    expect(after).toMatchObject({ state: "intake", ownerId: null, offeredTo: [] });
    expect(after.rejections).toEqual([{ reason: "no gate code", by: "dana", at: expect.any(String) }]);
    expect(after.events.find((e: any) => e.type === "rejected").detail).toMatchObject({ via: "sms", reason: "no gate code" });
    const notice = (await messagesOf(t, slug)).find((m) => m.purpose === "rejected");
    expect(notice).toMatchObject({ to: IVY });
    expect(notice.body).toContain("no gate code");
  });

  test("the first ACCEPT among the offerees wins and the other is told who took it", async () => {
    // An emergency rings Dana as well as texting her; the call cannot be placed, so the lead
    // climbs to the manager at once and both may accept it.
    const { body: lead } = await t.call("POST", "/api/leads", completeLead({ business: slug, urgency: "emergency" }));
    await t.settle();
    const call = (await messagesOf(t, slug)).find((m) => m.purpose === "offer" && m.channel === "voice");
    await postTwilio(t, slug, "status", { CallSid: call.providerId, CallStatus: "failed", AccountSid: "AC1" });
    await t.settle();
    expect((await stateOf(lead.id)).offeredTo).toEqual(["dana", "mia"]);

    await postTwilio(t, slug, "sms", sms(MIA, "ACCEPT 1001"));
    await postTwilio(t, slug, "sms", sms(DANA, "ACCEPT 1001"));
    await t.settle();

    expect(await stateOf(lead.id)).toMatchObject({ state: "accepted", ownerId: "mia" });
    const messages = await messagesOf(t, slug);
    expect((await repliesTo(slug, MIA))[0].body).toMatch(/^Accepted lead 1001 /);
    expect((await repliesTo(slug, DANA)).map((m) => m.body)).toEqual(["Lead 1001 was already accepted by Mia Brooks."]);
    expect(messages.find((m) => m.purpose === "taken")).toMatchObject({ to: DANA, body: "Lead 1001 was accepted by Mia Brooks. Nothing to do." });
  });

  test("a command about another business's lead changes nothing there", async () => {
    const other = await t.newBusiness();
    const theirs = await offerToDana(other, 0);
    // Dana texts this business's number about code 1001, which is the other business's lead.
    await postTwilio(t, slug, "sms", sms(DANA, "ACCEPT 1001"));
    await t.settle();
    expect((await repliesTo(slug, DANA))[0].body).toBe("Lead 1001 isn't waiting for you. Reply LIST to see your leads.");
    expect(await stateOf(theirs.id)).toMatchObject({ state: "offered", ownerId: "dana" });
    expect(await repliesTo(other, DANA)).toHaveLength(0);
  });

  test("a member cannot accept a lead offered only to someone else", async () => {
    const lead = await offerToDana(slug, 0);
    await postTwilio(t, slug, "sms", sms(MIA, "ACCEPT 1001"));
    await t.settle();
    expect((await repliesTo(slug, MIA))[0].body).toBe("Lead 1001 isn't waiting for you. Reply LIST to see your leads.");
    expect(await stateOf(lead.id)).toMatchObject({ state: "offered", ownerId: "dana" });
  });
});
