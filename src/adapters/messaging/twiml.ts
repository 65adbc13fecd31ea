import twilio from "twilio";
import { KEYPAD_PROMPT, missedCallGreeting, NO_KEYPRESS, NO_VOICEMAIL, spokenAgain } from "../../domain/copy/voice.ts";

// The SDK builds and escapes the XML; nothing here concatenates markup by hand.
const { VoiceResponse } = twilio.twiml;

/** Seconds a missed caller may talk into voicemail: enough for name, address and problem. */
export const VOICEMAIL_MAX_SECONDS = 120;

/** Seconds an escalation call waits for a keypress before repeating the prompt. */
export const GATHER_TIMEOUT_SECONDS = 8;

export interface ForwardCallOptions {
  /** The business's `forwardTo` number. */
  forwardTo: string;
  /** Caller ID shown on the forwarded leg; Twilio shows the original caller when omitted. */
  callerId?: string;
  /** How long to ring `forwardTo` before the call counts as missed. */
  timeoutSeconds: number;
  /** The dial-status webhook (public URL) that learns whether anyone answered. */
  actionUrl: string;
}

/** Rings the business's own phone and reports the outcome to `actionUrl` (CONTRACT §4). */
export function forwardCallTwiml({ forwardTo, callerId, timeoutSeconds, actionUrl }: ForwardCallOptions): string {
  const response = new VoiceResponse();
  response.dial(
    {
      timeout: timeoutSeconds,
      action: actionUrl,
      method: "POST",
      // Keeps the caller hearing ringing (not silence) until the forwarded leg picks up.
      answerOnBridge: true,
      ...(callerId ? { callerId } : {}),
    },
    forwardTo,
  );
  return response.toString();
}

export interface MissedCallOptions {
  /** Spoken as the business calls itself. */
  businessName: string;
  /** Where Twilio posts the recording when the caller finishes. */
  recordingActionUrl: string;
}

/**
 * The caller of a missed call hears an apology and may leave a voicemail; the text-back
 * (CONTRACT §6) goes out either way, so the message says so.
 */
export function missedCallTwiml({ businessName, recordingActionUrl }: MissedCallOptions): string {
  const response = new VoiceResponse();
  response.say(missedCallGreeting(businessName));
  response.record({
    maxLength: VOICEMAIL_MAX_SECONDS,
    action: recordingActionUrl,
    method: "POST",
    finishOnKey: "#",
    playBeep: true,
  });
  // Reached only when nothing was recorded: Twilio skips the action and runs the next verb.
  response.say(NO_VOICEMAIL);
  response.hangup();
  return response.toString();
}

export interface EscalationCallOptions {
  /** The lead as a sentence or two, e.g. "Urgent lead 1042: Jane Doe, burst pipe at…". */
  text: string;
  /** The gather webhook (public URL, with the lead in its query) that receives the digit. */
  gatherActionUrl: string;
}

/** An escalation call: reads the lead, asks for 1 (accept) or 2 (reject), asks once more, then says goodbye. */
export function escalationCallTwiml({ text, gatherActionUrl }: EscalationCallOptions): string {
  const response = new VoiceResponse();
  const prompts = [text, spokenAgain(text)];
  for (const lead of prompts) {
    // A <Gather> with no keypress falls through to the next verb, which is the repeat.
    const gather = response.gather({
      input: ["dtmf"],
      numDigits: 1,
      timeout: GATHER_TIMEOUT_SECONDS,
      action: gatherActionUrl,
      method: "POST",
    });
    gather.say(lead);
    gather.say(KEYPAD_PROMPT);
  }
  response.say(NO_KEYPRESS);
  response.hangup();
  return response.toString();
}

/** What the escalation callee hears after pressing a key (accepted, rejected, or why not). */
export function gatherResultTwiml(message: string): string {
  const response = new VoiceResponse();
  response.say(message);
  response.hangup();
  return response.toString();
}

/** Ends the call: the answer to a webhook that has nothing more to say. */
export function hangupTwiml(): string {
  const response = new VoiceResponse();
  response.hangup();
  return response.toString();
}

/** Speaks `text` once and hangs up: the call a Messaging adapter places when no TwiML is given. */
export function sayTwiml(text: string): string {
  return gatherResultTwiml(text);
}
