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

describe("parseSmsCommand after ACCEPT (CONTRACT §9)", () => {
  it.each<[string, string, SmsCommand]>([
    ["NEXT with a code", "NEXT 1042 call to book tue 9am", { kind: "next", code: 1042, text: "call to book tue 9am" }],
    ["bare next", "next send quote friday 5pm", { kind: "next", code: null, text: "send quote friday 5pm" }],
    ["a time right after the verb is no code", "next 9am call back", { kind: "next", code: null, text: "9am call back" }],
    ["a spaced meridiem is a time too", "next 9 am call back", { kind: "next", code: null, text: "9 am call back" }],
    ["a date right after the verb is no code", "next 12/3 10:30 call back", { kind: "next", code: null, text: "12/3 10:30 call back" }],
    ["a clock time right after the verb is no code", "next 10:30 call back", { kind: "next", code: null, text: "10:30 call back" }],
    ["a four-digit time with am is no code", "next 1030am call back", { kind: "next", code: null, text: "1030am call back" }],
    ["an ordinal day is no code", "next 3rd call back", { kind: "next", code: null, text: "3rd call back" }],
    ["a code then a clock time", "next #1042 10:30 call", { kind: "next", code: 1042, text: "10:30 call" }],
    ["NEXT with a code and nothing else", "next 1042", { kind: "next", code: 1042, text: null }],
    ["NOTE keeps digits inside the note", "NOTE 1042 gate code 4411", { kind: "note", code: 1042, text: "gate code 4411" }],
    ["bare note", "note: gate code 4411", { kind: "note", code: null, text: "gate code 4411" }],
    ["DONE with outcome", "DONE 1042 booked", { kind: "done", code: 1042, outcome: "booked", words: null }],
    ["CLOSE with outcome and words", "close 1042 Lost, went elsewhere", { kind: "done", code: 1042, outcome: "lost", words: "went elsewhere" }],
    ["bare done", "done", { kind: "done", code: null, outcome: null, words: null }],
    ["REASSIGN with name and reason", "REASSIGN 1042 sam no truck nearby", { kind: "reassign", code: 1042, target: "sam", reason: "no truck nearby" }],
    ["reassign with a colon after the name", "reassign 1042 Sam: out sick", { kind: "reassign", code: 1042, target: "Sam", reason: "out sick" }],
    ["reassign without a reason", "reassign 1042 sam", { kind: "reassign", code: 1042, target: "sam", reason: null }],
    ["AWAY", "AWAY", { kind: "away" }],
    ["away with chatter", "away - sick today", { kind: "away" }],
    ["BACK", "back!", { kind: "back" }],
    ["WHO", "who?", { kind: "who" }],
  ])("%s: %j", (_name, text, expected) => {
    expect(parseSmsCommand(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ["a two-digit number after NEXT is a typo, never a bare next", "next 12 call back tue 9am"],
    ["a seven-digit code after NOTE is a typo", "note 1042123 gate code"],
    ["a two-digit number after DONE is a typo", "done 42 booked"],
    ["a two-digit number after REASSIGN is a typo", "reassign 42 sam busy"],
    ["a misspelt verb", "nxt 1042 call tue 9am"],
  ])("%s", (_name, text) => {
    expect(parseSmsCommand(text)).toEqual({ kind: "unknown", text });
  });
});
