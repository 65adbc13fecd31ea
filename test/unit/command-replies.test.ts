import { describe, expect, it } from "vitest";
import {
  acceptedReply,
  alreadyAcceptedReply,
  alreadyYoursReply,
  helpReply,
  listReply,
  noneWaitingReply,
  notUnderstoodReply,
  notYoursReply,
  rejectAfterAcceptReply,
  rejectedReply,
  rejectNeedsReasonReply,
  severalWaitingReply,
} from "../../src/domain/copy/command-replies.ts";
import { isGsm7, smsSegments } from "../../src/domain/copy/gsm7.ts";
import { clip } from "../../src/domain/copy/sms-fit.ts";
import { customerReplyNotice, intakeNotice, memberOptedOutNotice, reassignedNotice, takenNotice } from "../../src/domain/copy/team-notices.ts";

const CHICAGO = "America/Chicago";
// Monday 23 Nov 2026, 9:00 AM in Chicago (CST, UTC-6).
const NOW = new Date("2026-11-23T15:00:00Z");
const time = { timeZone: CHICAGO, now: NOW };
const AT_2_35_PM = new Date("2026-11-23T20:35:00Z");

describe("replies to commands", () => {
  it("accepted: names the lead, when it is due, what was promised and how to call", () => {
    expect(
      acceptedReply({
        code: 1042,
        customerName: "Jane Doe",
        customerPhone: "+15125550123",
        dueAt: AT_2_35_PM,
        nextStep: "call back with a repair quote",
        ...time,
      }),
    ).toBe("Accepted lead 1042 (Jane Doe). Due 2:35 PM CST: call back with a repair quote. Call them at +15125550123.");
  });

  it("accepted without a next step or a name still says when and how", () => {
    expect(acceptedReply({ code: 1042, customerPhone: "+15125550123", dueAt: AT_2_35_PM, ...time })).toBe(
      "Accepted lead 1042. Due 2:35 PM CST. Call them at +15125550123.",
    );
  });

  it("accepted with a next step but no due time says Next", () => {
    expect(acceptedReply({ code: 1042, nextStep: "send the estimate.", ...time })).toBe(
      "Accepted lead 1042. Next: send the estimate.",
    );
  });

  it("accepted with a rambling next step is clipped to one SMS, keeping the phone number", () => {
    const reply = acceptedReply({
      code: 1042,
      customerName: "Jane Doe",
      customerPhone: "+15125550123",
      dueAt: AT_2_35_PM,
      nextStep: "call back to confirm the address, ask about the water heater model, the age of the pipes, whether the main was shut off and if the ceiling is sagging",
      ...time,
    });
    expect(smsSegments(reply)).toBe(1);
    expect(reply).toMatch(/[^.]\.\.\. Call them at \+15125550123\.$/);
  });

  it.each([
    ["taken by someone else", alreadyAcceptedReply({ code: 1042, acceptedBy: "Dana" }), "Lead 1042 was already accepted by Dana."],
    ["accepted twice by the same member", alreadyYoursReply(1042), "You already accepted lead 1042. It's yours."],
    [
      "bare ACCEPT with three waiting lists the codes",
      severalWaitingReply({ codes: [1042, 1043, 1047], command: "ACCEPT" }),
      "You have 3 leads waiting: 1042, 1043, 1047. Reply ACCEPT <code>.",
    ],
    [
      "bare REJECT with two waiting asks for code and reason",
      severalWaitingReply({ codes: [1042, 1043], command: "REJECT" }),
      "You have 2 leads waiting: 1042, 1043. Reply REJECT <code> <what's missing>.",
    ],
    ["nothing waiting", noneWaitingReply(), "No leads are waiting for you. Reply LIST to see the ones you own."],
    ["reject without reason, with code", rejectNeedsReasonReply(1042), "Say what's missing: REJECT 1042 <reason>."],
    ["reject without reason or code", rejectNeedsReasonReply(null), "Say what's missing: REJECT <code> <reason>."],
    ["rejected", rejectedReply({ code: 1042, reason: "no address" }), "Lead 1042 sent back to intake: no address."],
    ["reject after accept", rejectAfterAcceptReply(1042), "Lead 1042 is already accepted; ask the office to reassign it."],
    ["unknown or someone else's code", notYoursReply(1099), "Lead 1099 isn't waiting for you. Reply LIST to see your leads."],
    ["not a command", notUnderstoodReply(), "Sorry, I didn't get that, so nothing changed. Check the code and reply again, or HELP for the commands."],
  ])("%s", (_name, reply, expected) => {
    expect(reply).toBe(expected);
  });

  it("help names every command the parser understands", () => {
    const help = helpReply();
    for (const word of ["ACCEPT <code>", "REJECT <code>", "NEXT <code>", "NOTE <code>", "DONE <code>", "REASSIGN <code>", "LIST", "AWAY", "BACK", "WHO", "STOP"]) expect(help).toContain(word);
    expect(smsSegments(help)).toBe(1);
  });

  it("a long code list is cut with a count, not sent as several texts", () => {
    const codes = Array.from({ length: 40 }, (_, i) => 1000 + i);
    const reply = severalWaitingReply({ codes, command: "ACCEPT" });
    expect(reply).toContain("You have 40 leads waiting: 1000, 1001");
    expect(reply).toContain("+28 more");
    expect(smsSegments(reply)).toBe(1);
  });

  it("a rejection reason with an emoji still arrives whole when short", () => {
    expect(rejectedReply({ code: 1042, reason: "no address 🙁" })).toBe("Lead 1042 sent back to intake: no address 🙁.");
  });
});

describe("listReply", () => {
  it("shows waiting leads with name and due time, then the member's own", () => {
    expect(
      listReply({
        waiting: [{ code: 1042, customerName: "Jane Doe", dueAt: AT_2_35_PM }, { code: 1043 }],
        owned: [{ code: 1040, customerName: "Ann Wu" }],
        ...time,
      }),
    ).toBe("Waiting (2): 1042 Jane Doe due 2:35 PM CST, 1043. Yours (1): 1040 Ann Wu. Reply ACCEPT <code>.");
  });

  it("with only owned leads, says nothing is waiting and offers no ACCEPT hint", () => {
    expect(listReply({ waiting: [], owned: [{ code: 1040, customerName: "Ann Wu" }], ...time })).toBe(
      "Nothing waiting. Yours (1): 1040 Ann Wu.",
    );
  });

  it("shows an owned lead's next action with its due time", () => {
    expect(listReply({ waiting: [], owned: [{ code: 1040, customerName: "Ann Wu", nextAction: "call to book", dueAt: AT_2_35_PM }], ...time })).toBe(
      "Nothing waiting. Yours (1): 1040 Ann Wu - call to book due 2:35 PM CST.",
    );
  });

  it("with nothing at all, says the member is caught up", () => {
    expect(listReply({ waiting: [], owned: [], ...time })).toBe("Nothing waiting and no open leads. You're all caught up.");
  });

  it("drops due times, then names, to stay one SMS", () => {
    const lead = (code: number) => ({ code, customerName: "Maximilian Oberhauser-Whitfield", dueAt: AT_2_35_PM });
    const reply = listReply({ waiting: [lead(1042), lead(1043), lead(1044)], owned: [lead(1040)], ...time });
    expect(smsSegments(reply)).toBe(1);
    expect(reply).toContain("1042");
    expect(reply).toContain("1044");
    expect(reply).toContain("1040");
  });

  it("with dozens of leads, shows the first codes and counts the rest", () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ code: 2000 + i }));
    const reply = listReply({ waiting: many, owned: many.slice(0, 20), ...time });
    expect(smsSegments(reply)).toBe(1);
    expect(reply).toMatch(/^Waiting \(60\): 2000, /);
    expect(reply).toMatch(/\+\d+ more/);
  });
});

describe("notices", () => {
  it("tells intake which lead came back, from whom, and why", () => {
    expect(intakeNotice({ code: 1042, who: "Jane Doe", channel: "vapi", sentBack: { by: "Dana", reason: "no address" }, missing: [] })).toBe(
      "Lead 1042 (Jane Doe) was sent back by Dana: no address. Please fix the record.",
    );
  });

  it("keeps the member's own question mark instead of adding a full stop", () => {
    expect(
      intakeNotice({ code: 1042, who: "+15125550123", channel: "vapi", sentBack: { by: "Dana", reason: "is this a duplicate of 1038?" }, missing: [] }),
    ).toBe("Lead 1042 (+15125550123) was sent back by Dana: is this a duplicate of 1038? Please fix the record.");
  });

  it("tells intake what a new lead is missing, as an owner would say it", () => {
    expect(intakeNotice({ code: 1043, who: "unknown caller", channel: "twilio_voice", missing: ["name", "address"] })).toBe(
      "Lead 1043 (unknown caller, via twilio_voice) is missing: name, address. Please complete it.",
    );
  });

  it("tells the other offerees who took the lead", () => {
    expect(takenNotice({ code: 1042, acceptedBy: "Dana" })).toBe("Lead 1042 was accepted by Dana. Nothing to do.");
  });

  it("tells the previous owner who has the lead now, and why", () => {
    expect(reassignedNotice({ code: 1042, to: "Omar Lee", reason: " Dana is off sick " })).toBe(
      "Lead 1042 was reassigned to Omar Lee: Dana is off sick. It is no longer yours.",
    );
  });

  it("tells the owner a customer replied, quoting them", () => {
    expect(customerReplyNotice({ code: 1042, customerName: "Jane Doe", text: "Address is 1208 E 4th St" })).toBe(
      'Lead 1042 (Jane Doe) texted: "Address is 1208 E 4th St"',
    );
  });

  it("names the customer by phone when the lead has no name yet", () => {
    expect(customerReplyNotice({ code: 1050, customerPhone: "+15125550123", text: "hello?" })).toBe(
      'Lead 1050 (+15125550123) texted: "hello?"',
    );
  });

  it("clips a long customer text to two segments at most, quote closed", () => {
    const text = "Hi this is Jane again, ".repeat(30);
    const notice = customerReplyNotice({ code: 1042, customerName: "Jane Doe", text });
    expect(smsSegments(notice)).toBe(2);
    expect(notice).toMatch(/^Lead 1042 \(Jane Doe\) texted: "Hi this is Jane again, .*\.\.\."$/);
  });

  it("gives a customer text with emoji two UCS-2 segments rather than a few words", () => {
    const text = "Water everywhere 😭😭 please come asap, the whole kitchen ceiling is dripping and I can't find the shutoff valve anywhere";
    const notice = customerReplyNotice({ code: 1042, customerName: "Jane Doe", text });
    expect(smsSegments(notice)).toBe(2);
    expect(notice).toContain("the whole kitchen ceiling is dripping");
  });

  it("tells the manager a member opted out and will be called", () => {
    const notice = memberOptedOutNotice({ memberName: "Dana Ruiz" });
    expect(notice).toContain("Dana Ruiz replied STOP");
    expect(notice).toContain("phone call");
  });
});

describe("every reply fits one GSM-7 SMS with ordinary values", () => {
  const replies = {
    accepted: acceptedReply({ code: 104299, customerName: "Jane Doe", customerPhone: "+15125550123", dueAt: AT_2_35_PM, nextStep: "call back today", ...time }),
    alreadyAccepted: alreadyAcceptedReply({ code: 1042, acceptedBy: "Dana Ruiz" }),
    alreadyYours: alreadyYoursReply(1042),
    severalWaiting: severalWaitingReply({ codes: [1042, 1043, 1047], command: "REJECT" }),
    noneWaiting: noneWaitingReply(),
    rejectNeedsReason: rejectNeedsReasonReply(1042),
    rejected: rejectedReply({ code: 1042, reason: "no address" }),
    rejectAfterAccept: rejectAfterAcceptReply(1042),
    notYours: notYoursReply(1042),
    list: listReply({ waiting: [{ code: 1042, customerName: "Jane Doe", dueAt: AT_2_35_PM }], owned: [{ code: 1040 }], ...time }),
    help: helpReply(),
    notUnderstood: notUnderstoodReply(),
    intake: intakeNotice({ code: 1042, who: "Jane Doe", channel: "vapi", sentBack: { by: "Dana Ruiz", reason: "no address" }, missing: [] }),
    taken: takenNotice({ code: 1042, acceptedBy: "Dana Ruiz" }),
    reassigned: reassignedNotice({ code: 1042, to: "Omar Lee", reason: "Dana is off sick" }),
    customer: customerReplyNotice({ code: 1042, customerName: "Jane Doe", text: "Address is 1208 E 4th St" }),
    optedOut: memberOptedOutNotice({ memberName: "Dana Ruiz" }),
  };
  it.each(Object.entries(replies))("%s", (_name, reply) => {
    expect(isGsm7(reply)).toBe(true);
    expect(smsSegments(reply)).toBe(1);
  });
});

describe("SMS length helpers", () => {
  it.each([
    ["160 GSM-7 characters are one segment", "a".repeat(160), 1],
    ["161 are two", "a".repeat(161), 2],
    ["an extension character (€) counts twice", "€".repeat(80), 1],
    ["81 of them do not fit", "€".repeat(81), 2],
    ["one emoji makes it UCS-2: 70 characters per segment", `${"a".repeat(68)}🙂`, 1],
    ["and 71 need two", `${"a".repeat(69)}🙂`, 2],
    ["curly quotes are not GSM-7", `\u201c${"a".repeat(70)}\u201d`, 2],
  ])("%s", (_name, text, segments) => {
    expect(smsSegments(text)).toBe(segments);
  });

  it("clip cuts on a word boundary and marks the cut with ASCII dots", () => {
    expect(clip("the water heater is leaking in the garage", 20)).toBe("the water heater...");
    expect(clip("short", 20)).toBe("short");
    expect(clip("  squeezed   spaces  ", 20)).toBe("squeezed spaces");
    expect(clip("🙂".repeat(10), 8)).toBe("🙂🙂...");
  });
});
