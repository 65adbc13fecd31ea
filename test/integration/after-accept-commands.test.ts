import { and, eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { timers } from "../../src/db/schema/index.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadById, messagesOf } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";
import { acceptingMessaging, DANA, IVY, MIA, postTwilio, sms } from "../helpers/twilio.ts";

// NEXT, NOTE, DONE/CLOSE and REASSIGN by text, end to end through the signed Twilio webhook
// (CONTRACT §9). The owner is Sam (sales, no office role): estimates are routed to him. Mia
// (manager) and Dana (dispatch) may act on any lead; Ivy (intake) may not.
const SAM = "+15125550114";

/** Monday 23 Nov 2026, 9:00 AM in Chicago. */
const NOW = "2026-11-23T15:00:00Z";

interface Case {
  name: string;
  /** Estimates offered to Sam and accepted by him first (codes 1001, 1002…). */
  owned?: number;
  /** Estimates offered to Sam and not accepted (after the owned ones). */
  waiting?: number;
  /** Lead 1001 is closed (booked) before the text. */
  closedFirst?: boolean;
  from?: string;
  text: string;
  reply: string | RegExp;
  /** What lead 1001 looks like afterwards (a subset). */
  after?: Record<string, unknown>;
}

const untouched = { nextAction: null, notes: [], pendingOwnerId: null };

const CASES: Case[] = [
  // NEXT
  { name: "NEXT with a code sets the next action and its due time", owned: 1, text: "NEXT 1001 call to book tue 9am",
    reply: "1001: next - call to book, due Tue 9:00 AM CST", after: { nextAction: "call to book", nextActionDueAt: "2026-11-24T15:00:00.000Z" } },
  { name: "bare NEXT applies to the only lead she owns", owned: 1, text: "next send quote friday 5pm",
    reply: "1001: next - send quote, due Fri 5:00 PM CST", after: { nextAction: "send quote", nextActionDueAt: "2026-11-27T23:00:00.000Z" } },
  { name: "a time right after NEXT is no code: next 9am call back", owned: 1, text: "next 9am call back",
    reply: "1001: next - call back, due Tue 9:00 AM CST", after: { nextAction: "call back", nextActionDueAt: "2026-11-24T15:00:00.000Z" } },
  { name: "a date right after NEXT is no code: next 12/3 10:30 call back", owned: 1, text: "next 12/3 10:30 call back",
    reply: "1001: next - call back, due Dec 3 10:30 AM CST", after: { nextActionDueAt: "2026-12-03T16:30:00.000Z" } },
  { name: "a bare hour is the one within business hours: tomorrow at 3 is 3 PM", owned: 1, text: "NEXT 1001 call back tomorrow at 3",
    reply: "1001: next - call back, due Tue 3:00 PM CST", after: { nextActionDueAt: "2026-11-24T21:00:00.000Z" } },
  { name: "in 2 hours counts from now", owned: 1, text: "next 1001 call back in 2 hours",
    reply: "1001: next - call back, due 11:00 AM CST", after: { nextActionDueAt: "2026-11-23T17:00:00.000Z" } },
  { name: "NEXT without a time asks for one and changes nothing", owned: 1, text: "NEXT 1001 call to book",
    reply: "When is it due? Reply NEXT 1001 <what> <when>, e.g. NEXT 1001 call to book tue 9am. Nothing changed.", after: untouched },
  { name: "NEXT with a time already past asks for a later one", owned: 1, text: "next 1001 call 11/20 9am",
    reply: "Fri 9:00 AM CST has passed. Reply NEXT 1001 <what> <a later time>. Nothing changed.", after: untouched },
  { name: "NEXT with a time and no action asks what", owned: 1, text: "next 1001 tue 9am",
    reply: "What will you do? Reply NEXT 1001 <what> <when>, e.g. call to book tue 9am. Nothing changed.", after: untouched },
  { name: "bare NEXT with several open leads lists them and changes nothing", owned: 2, text: "next call tue 9am",
    reply: "You have 2 open leads: 1001, 1002. Reply NEXT <code> ...", after: untouched },
  { name: "a mistyped two-digit code is never guessed around", owned: 1, text: "next 10 call back tue 9am",
    reply: "Sorry, I didn't get that, so nothing changed. Check the code and reply again, or HELP for the commands.", after: untouched },
  { name: "a code that is not hers changes nothing", owned: 1, text: "next 1077 call tue 9am",
    reply: "Lead 1077 isn't waiting for you. Reply LIST to see your leads.", after: untouched },
  { name: "a lead still offered to her: ACCEPT first", waiting: 1, text: "next 1001 call tue 9am", reply: "ACCEPT 1001 first. Nothing changed.", after: { state: "offered", ...untouched } },
  { name: "bare NEXT with only an offered lead: ACCEPT first", waiting: 1, text: "next call tue 9am", reply: "ACCEPT 1001 first. Nothing changed.", after: { state: "offered", ...untouched } },
  { name: "a manager may set the next action of anyone's lead", owned: 1, from: MIA, text: "NEXT 1001 call to book tue 9am",
    reply: "1001: next - call to book, due Tue 9:00 AM CST", after: { ownerId: "sam", nextAction: "call to book" } },
  { name: "a member without an office role cannot touch another's lead", owned: 1, from: IVY, text: "NEXT 1001 call to book tue 9am",
    reply: "Lead 1001 isn't waiting for you. Reply LIST to see your leads.", after: untouched },
  { name: "a misspelt verb is no command", owned: 1, text: "nxt 1001 call tue 9am",
    reply: "Sorry, I didn't get that, so nothing changed. Check the code and reply again, or HELP for the commands.", after: untouched },
  // NOTE
  { name: "NOTE adds a note and leaves intake's summary alone", owned: 1, text: "NOTE 1001 gate code 4411",
    reply: "1001: note added - gate code 4411.", after: { notes: [{ at: expect.any(String), by: "sam", text: "gate code 4411" }], summaryNotes: "Kitchen sink leaking under the cabinet" } },
  { name: "bare NOTE notes the only lead she owns", owned: 1, text: "note: customer prefers mornings",
    reply: "1001: note added - customer prefers mornings.", after: { notes: [{ at: expect.any(String), by: "sam", text: "customer prefers mornings" }] } },
  { name: "a dispatcher may note anyone's lead", owned: 1, from: DANA, text: "note 1001 called, no answer",
    reply: "1001: note added - called, no answer.", after: { notes: [{ at: expect.any(String), by: "dana", text: "called, no answer" }] } },
  { name: "NOTE without text says how", owned: 1, text: "note 1001", reply: "Reply NOTE 1001 <text> to add a note.", after: untouched },
  { name: "NOTE on a lead offered to her: ACCEPT first", waiting: 1, text: "note 1001 gate code", reply: "ACCEPT 1001 first. Nothing changed.", after: untouched },
  // DONE / CLOSE
  { name: "DONE closes with the outcome", owned: 1, text: "DONE 1001 booked", reply: "Lead 1001 closed: booked. Thanks.", after: { state: "closed", outcome: "booked" } },
  { name: "CLOSE is DONE, words after the outcome are kept", owned: 1, text: "close 1001 lost went with a cheaper quote",
    reply: "Lead 1001 closed: lost. Thanks.", after: { state: "closed", outcome: "lost" } },
  { name: "DONE without an outcome lists them", owned: 1, text: "done 1001",
    reply: "Reply DONE 1001 with booked, lost, spam or duplicate.", after: { state: "accepted" } },
  { name: "a misspelt outcome is not guessed: the list comes back", owned: 1, text: "DONE 1001 bookd",
    reply: "\"bookd\" is not an outcome. Reply DONE 1001 with booked, lost, spam or duplicate.", after: { state: "accepted" } },
  { name: "a command about a closed lead says so", owned: 1, closedFirst: true, text: "note 1001 called again",
    reply: "Lead 1001 is already closed. Nothing changed.", after: { state: "closed", notes: [] } },
  { name: "a manager may close anyone's lead", owned: 1, from: MIA, text: "done 1001 spam", reply: "Lead 1001 closed: spam. Thanks.", after: { state: "closed", outcome: "spam" } },
  // REASSIGN
  { name: "REASSIGN offers it to the named member; it stays the owner's until they ACCEPT", owned: 1, text: "REASSIGN 1001 dana no truck nearby",
    reply: "Lead 1001 offered to Dana Ruiz. It stays yours until they ACCEPT.", after: { state: "accepted", ownerId: "sam", pendingOwnerId: "dana" } },
  { name: "REASSIGN takes a first name", owned: 1, text: "reassign 1001 Omar: out sick", reply: "Lead 1001 offered to Omar Lee. It stays yours until they ACCEPT.", after: { pendingOwnerId: "omar" } },
  { name: "REASSIGN to a name nobody has changes nothing", owned: 1, text: "reassign 1001 bob busy",
    reply: "Nobody on the team is called \"bob\". Reply REASSIGN 1001 <name> <reason>. Nothing changed.", after: untouched },
  { name: "REASSIGN without a reason says how", owned: 1, text: "reassign 1001 dana", reply: "Reply REASSIGN 1001 <name> <reason>. Nothing changed.", after: untouched },
  { name: "REASSIGN to the owner changes nothing", owned: 1, text: "reassign 1001 sam busy", reply: "Lead 1001 is already with Sam Patel. Nothing changed.", after: untouched },
  { name: "a manager's REASSIGN says whose it stays", owned: 1, from: MIA, text: "reassign 1001 dana sam is off sick",
    reply: "Lead 1001 offered to Dana Ruiz. It stays with Sam Patel until they ACCEPT.", after: { ownerId: "sam", pendingOwnerId: "dana" } },
  { name: "the office's REASSIGN of a lead not yet accepted moves the offer itself", waiting: 1, from: MIA, text: "reassign 1001 dana sam is off sick",
    reply: "Lead 1001 is now offered to Dana Ruiz instead; they must ACCEPT it.", after: { state: "offered", ownerId: "dana", offeredTo: ["dana"], pendingOwnerId: null } },
];

describeOnBackends("commands after ACCEPT on $name", ({ kind }) => {
  let slug: string;
  const t = useTestApp(kind, { messaging: acceptingMessaging() });
  beforeEach(async () => {
    t.clock.set(NOW);
    slug = await t.newBusiness();
  });

  /** An estimate offered to Sam (sales), each from its own phone. */
  const estimateForSam = async (business: string, n: number) => {
    const { body } = await t.call("POST", "/api/leads", completeLead({ business, leadType: "estimate", followUpDate: "2026-11-30", phone: `+1512555${String(300 + n).padStart(4, "0")}` }));
    expect(body).toMatchObject({ state: "offered", ownerId: "sam" });
    return body;
  };
  const repliesTo = async (business: string, phone: string) => (await messagesOf(t, business)).filter((m) => m.purpose === "reply" && m.to === phone);

  test.each(CASES)("$name", async (c) => {
    const leads = [];
    for (let i = 0; i < (c.owned ?? 0); i++) {
      const lead = await estimateForSam(slug, i);
      expect((await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "sam" })).status).toBe(200);
      leads.push(lead);
    }
    for (let i = 0; i < (c.waiting ?? 0); i++) leads.push(await estimateForSam(slug, 50 + i));
    if (c.closedFirst) await t.call("POST", `/api/leads/${leads[0].id}/close`, { outcome: "booked" });
    const before = await leadById(t, leads[0].id);

    const from = c.from ?? SAM;
    const res = await postTwilio(t, slug, "sms", sms(from, c.text));
    expect(res.status).toBe(200);
    await t.settle();

    const replies = await repliesTo(slug, from);
    expect(replies).toHaveLength(1);
    if (typeof c.reply === "string") expect(replies[0].body).toBe(c.reply);
    else expect(replies[0].body).toMatch(c.reply);
    const after = await leadById(t, leads[0].id);
    if (c.after) expect(after).toMatchObject(c.after);
    if (c.after === untouched) {
      // Nothing changed: no new history, no movement.
      expect(after.events).toHaveLength(before.events.length);
      expect(after.lastActionAt).toBe(before.lastActionAt);
    }
  });

  test("NEXT records movement, its event and its reminder; the history says who and how", async () => {
    const lead = await estimateForSam(slug, 0);
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "sam" });
    t.clock.set("2026-11-23T15:05:00Z");
    await postTwilio(t, slug, "sms", sms(SAM, "next 1001 call to book tue 9am"));
    await t.settle();
    const after = await leadById(t, lead.id);
    expect(after.lastActionAt).toBe("2026-11-23T15:05:00.000Z");
    expect(after.events.at(-1)).toMatchObject({ type: "next_action", actor: "member:sam", detail: { via: "sms", action: "call to book", dueAt: "2026-11-24T15:00:00.000Z" } });
    const pending = await t.deps.db.select().from(timers).where(and(eq(timers.leadId, lead.id), eq(timers.status, "pending")));
    expect(pending.find((r) => r.kind === "next-action-due")).toMatchObject({ dueAt: new Date("2026-11-24T15:00:00Z") });
  });

  test("a command about another business's lead changes nothing there", async () => {
    const other = await t.newBusiness();
    const theirs = await estimateForSam(other, 0);
    await t.call("POST", `/api/leads/${theirs.id}/accept`, { memberId: "sam" });
    await postTwilio(t, slug, "sms", sms(SAM, "DONE 1001 booked"));
    await t.settle();
    expect((await repliesTo(slug, SAM))[0].body).toBe("Lead 1001 isn't waiting for you. Reply LIST to see your leads.");
    expect(await leadById(t, theirs.id)).toMatchObject({ state: "accepted", outcome: null });
    expect(await repliesTo(other, SAM)).toHaveLength(0);
  });

  test("a redelivered NOTE adds one note and sends one reply", async () => {
    const lead = await estimateForSam(slug, 0);
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "sam" });
    const text = sms(SAM, "note 1001 gate code 4411");
    await postTwilio(t, slug, "sms", text);
    await postTwilio(t, slug, "sms", text);
    await t.settle();
    expect((await leadById(t, lead.id)).notes).toHaveLength(1);
    expect(await repliesTo(slug, SAM)).toHaveLength(1);
  });

  test("LIST shows each owned lead with its next action and due time", async () => {
    const lead = await estimateForSam(slug, 0);
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: "sam" });
    await estimateForSam(slug, 1);
    await postTwilio(t, slug, "sms", sms(SAM, "next 1001 call to book tue 9am"));
    await postTwilio(t, slug, "sms", sms(SAM, "LIST"));
    await t.settle();
    const replies = await repliesTo(slug, SAM);
    expect(replies.map((r) => r.body)).toContain(
      "Waiting (1): 1002 Jane Doe due 10:00 AM CST. Yours (1): 1001 Jane Doe - call to book due Tue 9:00 AM CST. Reply ACCEPT <code>.",
    );
  });
});
