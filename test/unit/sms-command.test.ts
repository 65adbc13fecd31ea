import { describe, expect, it } from "vitest";
import { parseSmsCommand, type SmsCommand } from "../../src/domain/sms-command.ts";

const accept = (code: number | null): SmsCommand => ({ kind: "accept", code });
const reject = (code: number | null, reason: string | null): SmsCommand => ({ kind: "reject", code, reason });

describe("parseSmsCommand", () => {
  it.each<[string, string, SmsCommand]>([
    ["bare ACCEPT", "ACCEPT", accept(null)],
    ["accept with a full stop", "Accept.", accept(null)],
    ["accept with a leading space", " accept", accept(null)],
    ["accept with a hash before the code", "accept #1042", accept(1042)],
    ["accept with an exclamation after the code", "ACCEPT 1042!", accept(1042)],
    ["accept glued to its code", "accept1042", accept(1042)],
    ["accept naming the lead", "Accept lead 1042", accept(1042)],
    ["accept with a six-digit code", "accept 104299", accept(104299)],
    ["accept with a three-digit code", "accept 104", accept(104)],
    ["accept with chatter after the code", "accept 1042 on my way", accept(1042)],
    ["accept with chatter and no code", "Accept, on my way", accept(null)],
    ["reject with code and dashed reason", "REJECT 1042 - no address", reject(1042, "no address")],
    ["reject with the canonical wording", "REJECT 1042 no address", reject(1042, "no address")],
    ["bare reject keeps the whole reason", "reject no address", reject(null, "no address")],
    ["reject with hash and colon", "reject #1042: missing phone", reject(1042, "missing phone")],
    ["reject keeps the member's case and trailing words", "Reject 1042 — Caller gave NO street #", reject(1042, "Caller gave NO street #")],
    ["reject with no reason", "Reject", reject(null, null)],
    ["reject with a code and no reason", "reject 1042", reject(1042, null)],
    ["reject with a code and only punctuation", "reject 1042 -", reject(1042, null)],
    ["list", "list", { kind: "list" }],
    ["LIST shouted with punctuation", "LIST!", { kind: "list" }],
    ["help", "help", { kind: "help" }],
    ["a question mark asks for help", "?", { kind: "help" }],
    ["INFO is Twilio's other help keyword", "Info", { kind: "help" }],
    ["STOP", "STOP", { kind: "stop" }],
    ["stopall", "stopall", { kind: "stop" }],
    ["unsubscribe", "Unsubscribe", { kind: "stop" }],
    ["cancel", "cancel", { kind: "stop" }],
    ["end", "END", { kind: "stop" }],
    ["quit", "quit.", { kind: "stop" }],
    ["optout", "OPTOUT", { kind: "stop" }],
    ["revoke", "revoke", { kind: "stop" }],
    ["START", "START", { kind: "start" }],
    ["unstop", "unstop", { kind: "start" }],
    ["yes", "Yes!", { kind: "start" }],
  ])("%s: %j", (_name, text, expected) => {
    expect(parseSmsCommand(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ["a stop keyword inside a sentence is not an opt-out (Twilio ignores it too)", "stop calling me"],
    ["cancel inside a sentence is not an opt-out", "cancel my appointment please"],
    ["a two-digit number after ACCEPT is a typo, not a bare accept", "ACCEPT 12"],
    ["a seven-digit number after ACCEPT is a typo, not a bare accept", "accept 1042123"],
    ["a two-digit number after REJECT is not taken as part of the reason", "REJECT 12 no address"],
    ["a word that merely starts like a verb", "acceptable"],
    ["ordinary text", "running 10 min late"],
    ["an empty body (MMS with only a picture)", ""],
    ["only punctuation", "..."],
  ])("%s", (_name, text) => {
    expect(parseSmsCommand(text)).toEqual({ kind: "unknown", text: text.trim() });
  });

  it("unknown keeps the text trimmed so the reply can quote it", () => {
    expect(parseSmsCommand("  what is this?  ")).toEqual({ kind: "unknown", text: "what is this?" });
  });
});
