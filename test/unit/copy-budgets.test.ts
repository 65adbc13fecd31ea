import { describe, expect, it } from "vitest";
import {
  acceptedReply, alreadyAcceptedReply, alreadyYoursReply, helpReply, listReply, noneWaitingReply, notUnderstoodReply,
  notYoursReply, rejectAfterAcceptReply, rejectedReply, rejectNeedsReasonReply, severalWaitingReply,
} from "../../src/domain/copy/command-replies.ts";
import {
  acceptFirstReply, awayReply, backReply, closedReply, leadClosedReply, nextNeedsActionReply, nextNeedsTimeReply, nextPastReply, nextSetReply,
  noOwnedLeadReply, notAcceptedYetReply, noteAddedReply, noteNeedsTextReply, outcomeListReply, reassignDeclinedReply, reassignOfferedReply,
  reassignRedirectedReply, reassignToOwnerReply, reassignUsageReply, severalOwnedReply, whoReply,
} from "../../src/domain/copy/after-accept-replies.ts";
import { acceptedCustomerText, askQuestionText, autoReplyText, missedCallNote, textBackText } from "../../src/domain/copy/customer-texts.ts";
import { ASKABLE_FIELDS } from "../../src/domain/ask-customer-config.ts";
import { followUpNotice, overdueNotice, ownerDigestText, reassignNotTakenNotice, reminderNotice } from "../../src/domain/copy/follow-up-notices.ts";
import { digestText } from "../../src/domain/copy/digest.ts";
import { maskSignInCode, signInCodeText } from "../../src/domain/copy/sign-in.ts";
import { qaReminderText } from "../../src/domain/copy/qa-reminder.ts";
import { intakeEscalationText } from "../../src/domain/copy/escalation.ts";
import { isGsm7, smsSegments } from "../../src/domain/copy/gsm7.ts";
import { offerText } from "../../src/domain/copy/offer.ts";
import {
  calledAgainNotice, intakeNotice, memberOptedOutNotice, reassignedNotice, shiftCoverNotice, shiftStartNotice, takenNotice, voicemailNotice,
} from "../../src/domain/copy/team-notices.ts";
import { keypadSays, missedCallGreeting, spokenEscalation, spokenOffer } from "../../src/domain/copy/voice.ts";

/**
 * Every SMS the copy writes, with realistic and awkward inputs (accents GSM lacks, curly quotes,
 * long free text): each must stay GSM-7 and within its segment budget.
 */
const time = { timeZone: "America/Chicago", now: new Date("2026-11-23T15:00:00Z") };
const dueAt = new Date("2026-12-04T22:30:00Z");
const names = ["Jane Doe", "Zoë Ångström-Łukasz", "Renée O’Brien", "María José Fernández de la Cruz y Villalobos"];
const reasons = ["no address", "customer’s “real” address is 12 Elm — not 21", "wrong number; ".repeat(40)];
// As long as Twilio's recording links are (account and recording SIDs of 34 characters each).
const recordingUrl = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef";
const longNotes = "Water heater leaking into the garage, pilot light out, smells of gas near the valve. ".repeat(6);

const texts: Array<[name: string, text: string, segments: number]> = [];
for (const name of names) {
  for (const reason of reasons) {
    texts.push(
      ["offer", offerText({ code: 1042, urgency: "active_loss", fullName: name, phone: "+15125550123", place: `1208 E 4th St, Austin TX — ${name}`,
        serviceType: "plumbing", summaryNotes: `${reason} ${longNotes}`, promisedNextStep: `Call ${name} back`, dueAt, ...time,
        missingFields: ["serviceAddress", "followUpDate"], heading: "ESCALATED" }), 2],
      ["accepted", acceptedReply({ code: 1042, customerName: name, customerPhone: "+15125550123", dueAt, nextStep: reason, ...time }), 1],
      ["already accepted", alreadyAcceptedReply({ code: 1042, acceptedBy: name }), 1],
      ["rejected", rejectedReply({ code: 1042, reason }), 1],
      ["list", listReply({ waiting: [{ code: 1042, customerName: name, dueAt }], owned: [{ code: 1040, customerName: name }], ...time }), 1],
      ["taken", takenNotice({ code: 1042, acceptedBy: name }), 1],
      ["reassigned", reassignedNotice({ code: 1042, to: name, reason }), 1],
      ["intake: sent back", intakeNotice({ code: 1042, who: name, channel: "vapi", sentBack: { by: "dana", reason }, missing: [] }), 2],
      ["intake: missing", intakeNotice({ code: 1042, who: name, channel: "twilio_voice", missing: ["name", "address", "service type", "urgency"] }), 2],
      ["intake escalation", intakeEscalationText({ code: 1042, who: name, urgency: "active_loss", sentBack: { by: "dana", reason }, missing: ["address"] }), 2],
      ["digest", digestText({ businessName: `${name} Plumbing & Heating`, codes: Array.from({ length: 90 }, (_, i) => 1000 + i) }), 2],
      ["qa reminder", qaReminderText({ businessName: `${name} Plumbing & Heating — ${reason}`, week: "2026-W49", reviewed: 12, target: 50 }), 1],
      ["auto-reply", autoReplyText(`${name.split(" ")[0]} Plumbing`), 1],
      ["next set", nextSetReply({ code: 1042, action: `${reason} ${longNotes}`, dueAt, ...time }), 1],
      ["note added", noteAddedReply({ code: 1042, text: `${name}: ${reason} ${longNotes}` }), 1],
      ["closed", closedReply({ code: 1042, outcome: name }), 1],
      ["outcome list", outcomeListReply({ code: 1042, given: `${name} ${reason}`, outcomes: ["booked", "lost", "spam", "duplicate", ...Array.from({ length: 30 }, (_, i) => `custom_outcome_${i}`)] }), 1],
      ["reassign offered", reassignOfferedReply({ code: 1042, to: name, ownerName: name, byOwner: false }), 1],
      ["reassign redirected", reassignRedirectedReply({ code: 1042, to: `${name} ${reason}` }), 1],
      ["reassign usage", reassignUsageReply({ code: 1042, unknownName: `${name}${reason}` }), 1],
      ["reassign to owner", reassignToOwnerReply({ code: 1042, ownerName: name }), 1],
      ["reassign declined", reassignDeclinedReply({ code: 1042, ownerName: name }), 1],
      ["shift start", shiftStartNotice({ businessName: `${name} Plumbing & Heating`, role: "a_very_long_custom_role_name", until: dueAt, ...time }), 1],
      ["shift cover", shiftCoverNotice({ role: "on_call", from: name }), 1],
      ["shift given back", shiftCoverNotice({ role: "a_very_long_custom_role_name", from: name, back: true }), 1],
      ["away", awayReply({ covers: [{ role: "on_call", name }, { role: "a_very_long_custom_role_name", name: null }] }), 1],
      ["who", whoReply({ onCall: [name, name, name].map((n) => ({ name: n, phone: "+15125550111" })), manager: { name, phone: "+15125550113" } }), 1],
      ["reminder", reminderNotice({ code: 1042, customerName: name, action: `${reason} ${longNotes}`, dueAt, ...time }), 1],
      ["reminder without action", reminderNotice({ code: 1042, customerName: name, action: null, dueAt, ...time }), 1],
      ["overdue", overdueNotice({ code: 1042, customerName: name, ownerName: name, action: `${reason} ${longNotes}`, dueAt, ...time }), 1],
      ["overdue without action", overdueNotice({ code: 1042, customerName: name, ownerName: name, action: null, dueAt, ...time }), 1],
      ["follow-up", followUpNotice({ code: 1042, customerName: name }), 1],
      ["reassign not taken", reassignNotTakenNotice({ code: 1042, to: name, reason }), 1],
      ["reassign expired", reassignNotTakenNotice({ code: 1042, to: name, reason: null }), 1],
      ["customer: accepted with next action", acceptedCustomerText({ businessName: `${name} Plumbing & Heating`, ownerName: name, nextAction: `${reason} ${longNotes}`, dueAt, ...time }), 1],
      ["customer: accepted with promised step", acceptedCustomerText({ businessName: `${name} Plumbing & Heating`, ownerName: name, promisedNextStep: `${reason} ${longNotes}`, ...time }), 1],
      ["customer: accepted, nothing else known", acceptedCustomerText({ businessName: `${name} Plumbing & Heating`, ownerName: name, ...time }), 1],
      ["called again", calledAgainNotice({ code: 1042, customerName: `${name} ${reason}`, customerPhone: "+15125550123" }), 1],
      ["voicemail", voicemailNotice({ code: 104299, customerName: `${name} ${reason}`, customerPhone: "+15125550123", durationSeconds: 120, recordingUrl }), 2],
      ["sign-in code", signInCodeText({ code: "042917", businessName: `${name} Plumbing & Heating ${reason}`, minutes: 10 }), 1],
      ["text-back", textBackText("Sorry we missed your call at {business}. We’ll call you back shortly.", `${name.split(" ")[0]} Plumbing`), 1],
    );
    // The caller's questions (CONTRACT §15): one segment, whatever the business and the problem are called.
    for (const field of ASKABLE_FIELDS) {
      for (const again of [false, true]) {
        for (const problem of [null, "water heater", `${reason} ${longNotes}`]) {
          texts.push([`ask ${field}${again ? " again" : ""}`, askQuestionText({ businessName: `${name} Plumbing & Heating`, problem, field, again }), 1]);
        }
      }
    }
  }
}
texts.push(
  ["already yours", alreadyYoursReply(1042), 1],
  ["several waiting", severalWaitingReply({ codes: Array.from({ length: 30 }, (_, i) => 1000 + i), command: "REJECT" }), 1],
  ["none waiting", noneWaitingReply(), 1],
  ["reject needs reason", rejectNeedsReasonReply(null), 1],
  ["reject after accept", rejectAfterAcceptReply(1042), 1],
  ["not yours", notYoursReply(1042), 1],
  ["help", helpReply(), 1],
  ["not understood", notUnderstoodReply(), 1],
  ["opted out", memberOptedOutNotice({ memberName: "Dana Ruiz" }), 1],
  ["next needs time", nextNeedsTimeReply(104299), 1],
  ["next needs time, bare", nextNeedsTimeReply(null), 1],
  ["next past", nextPastReply({ code: 104299, dueAt, ...time }), 1],
  ["next needs action", nextNeedsActionReply(104299), 1],
  ["note needs text", noteNeedsTextReply(null), 1],
  ["accept first", acceptFirstReply(104299), 1],
  ["lead closed", leadClosedReply(104299), 1],
  ["not accepted yet", notAcceptedYetReply(104299), 1],
  ["no owned lead", noOwnedLeadReply("REASSIGN"), 1],
  ["several owned", severalOwnedReply({ codes: Array.from({ length: 40 }, (_, i) => 100000 + i), verb: "REASSIGN" }), 1],
  ["back", backReply(), 1],
  ["who: nobody", whoReply({ onCall: [], manager: null }), 1],
  ["owner digest", ownerDigestText({ codes: Array.from({ length: 40 }, (_, i) => 100000 + i) }), 1],
  ["owner digest, one lead", ownerDigestText({ codes: [1042] }), 1],
  ["called again, no caller ID", calledAgainNotice({ code: 1042, customerName: null, customerPhone: null }), 1],
  ["voicemail, no caller ID", voicemailNotice({ code: 1042, customerName: null, customerPhone: null, durationSeconds: null, recordingUrl }), 2],
);

describe("every SMS the copy writes", () => {
  it.each(texts.map(([name, text, segments], i) => [`${name} #${i}`, text, segments] as const))(
    "%s is GSM-7 within its segments",
    (_name, text, segments) => {
      expect(isGsm7(text), text).toBe(true);
      expect(smsSegments(text), text).toBeLessThanOrEqual(segments);
    },
  );
});

describe("notices that carry a link", () => {
  it("a voicemail notice keeps the recording's link whole, however long the caller's name", () => {
    for (const name of names) {
      const text = voicemailNotice({ code: 1042, customerName: `${name} ${"very long name ".repeat(30)}`, durationSeconds: 34, recordingUrl });
      expect(text.endsWith(` left a 34s voicemail: ${recordingUrl}`), text).toBe(true);
    }
  });
  it("a caller with neither name nor number is the caller", () => {
    expect(calledAgainNotice({ code: 1042 })).toBe("Lead 1042 (caller) called again and nobody answered. Call them back.");
    expect(voicemailNotice({ code: 1042, customerPhone: "+15125550123", durationSeconds: null, recordingUrl: "https://r.example/1" })).toBe(
      "Lead 1042 (+15125550123) left a voicemail: https://r.example/1",
    );
  });
});

describe("the sign-in text", () => {
  it("carries the code, and its masked form does not", () => {
    const text = signInCodeText({ code: "042917", businessName: "Acme Plumbing", minutes: 10 });
    expect(text).toContain("042917");
    expect(maskSignInCode(text)).not.toContain("042917");
    expect(maskSignInCode(text)).toContain("****** is your Acme Plumbing console code");
  });
});

describe("spoken text", () => {
  it("says codes digit by digit and drops the SMS reply instructions", () => {
    const sms = "ESCALATED lead 1042 EMERGENCY: Jane Doe, +15125550123, 12 Elm St. Burst pipe. Next: call, due 2:35 PM CST. Reply ACCEPT 1042 or REJECT 1042 <what's missing>";
    expect(spokenOffer(1042, sms)).toBe("Handoff lead 1 0 4 2. ESCALATED lead 1042 EMERGENCY: Jane Doe, +15125550123, 12 Elm St. Burst pipe. Next: call, due 2:35 PM CST.");
    expect(spokenEscalation(1042, "Dana Ruiz", sms)).toBe(
      "Escalated lead 1 0 4 2. Dana Ruiz has not accepted it. EMERGENCY: Jane Doe, +15125550123, 12 Elm St. Burst pipe. Next: call, due 2:35 PM CST.",
    );
    expect(keypadSays.alreadyAccepted(1042, "Omar Lee")).toBe("Lead 1 0 4 2 was already accepted by Omar Lee. Nothing to do. Goodbye.");
    expect(missedCallGreeting("Acme")).toMatch(/^Sorry, nobody at Acme could take your call right now\./);
  });
});

describe("lead notes", () => {
  it("a missed call says who, when and why", () => {
    expect(missedCallNote({ phone: "+15125550123", when: "9:00 AM CST", dialStatus: "busy" })).toBe("Missed call from +15125550123 at 9:00 AM CST: the line was busy.");
    expect(missedCallNote({ phone: null, when: "9:00 AM CST", dialStatus: "weird" })).toBe("Missed call (no caller ID) at 9:00 AM CST: weird.");
  });
});
