/**
 * Everything a call says: to the team (offers, escalations, keypad answers) and to a customer
 * whose call nobody took. The TwiML around these words is built in adapters/messaging/twiml.ts.
 * Codes are spoken digit by digit ("1 0 4 2"), so a voice reads them as a code, not a number.
 */

/** A lead code as a call says it: "1 0 4 2". */
export const spokenCode = (code: number) => String(code).split("").join(" ");

/** An offer text as a call says it: the code digit by digit, without the reply instructions. */
export function spokenOffer(code: number, smsText: string): string {
  const facts = smsText.replace(/\s*Reply ACCEPT.*$/s, "");
  return `Handoff lead ${spokenCode(code)}. ${facts}`;
}

/** What the escalation call says before the keypad prompt: the lead, and who let it wait. */
export function spokenEscalation(code: number, ownerName: string | null, smsText: string): string {
  const waited = ownerName ? ` ${ownerName} has not accepted it.` : "";
  return `Escalated lead ${spokenCode(code)}.${waited} ${smsText.replace(/^ESCALATED lead \d+ /, "").replace(/Reply ACCEPT.*$/, "")}`.trim();
}

/** An intake escalation as a call says it: nobody on the call can accept it, so no keypad. */
export function spokenIntakeEscalation(smsText: string): string {
  return `Urgent from Handoff. ${smsText.replace(/^ESCALATED: /, "")}`;
}

/** The keypad prompt after the lead is read. */
export const KEYPAD_PROMPT = "Press 1 to accept this lead. Press 2 to reject it.";

/** Said before the lead is read a second time. */
export const spokenAgain = (text: string) => `Again: ${text}`;

/** No key pressed after both readings. */
export const NO_KEYPRESS = "No answer received. The lead stays open and we will text you. Goodbye.";

/**
 * The reason a keypad rejection records. The SOP wants a reason naming the missing data, which a
 * keypress cannot give; this one says so and sends intake to the member for the details.
 */
export const PHONE_REJECTION_REASON = "Rejected by phone; call intake for details";

/** What the keypad answer did, spoken before the call hangs up. */
export const keypadSays = {
  unknownLead: () => "Sorry, we could not find that lead. Please check your texts. Goodbye.",
  accepted: (code: number) => `Accepted. Lead ${spokenCode(code)} is yours. We are texting you the details. Goodbye.`,
  rejected: (code: number) => `Lead ${spokenCode(code)} goes back to intake. Please text intake what is missing. Goodbye.`,
  reprompt: (code: number) =>
    `Sorry, only 1 or 2 work. Lead ${spokenCode(code)} is still waiting: reply to our text with ACCEPT or REJECT. Goodbye.`,
  alreadyYours: (code: number) => `You already accepted lead ${spokenCode(code)}. It is yours. Goodbye.`,
  alreadyAccepted: (code: number, by: string) => `Lead ${spokenCode(code)} was already accepted by ${by}. Nothing to do. Goodbye.`,
  notWaiting: (code: number) => `Lead ${spokenCode(code)} is no longer waiting for you. Nothing changed. Goodbye.`,
  /** A second delivery of the same keypress: the first answer stands. */
  repeated: () => "We already have that answer. Goodbye.",
};

/** The missed call's apology and voicemail invitation; the text-back goes out either way. */
export function missedCallGreeting(businessName: string): string {
  return (
    `Sorry, nobody at ${businessName} could take your call right now. ` +
    "We'll text you in a moment. You can also leave your name, address and what you need after the tone, " +
    "then hang up or press pound."
  );
}

/** The caller hung up the voicemail without a message. */
export const NO_VOICEMAIL = "We didn't get a message. We'll text you shortly. Goodbye.";

/** The caller left a voicemail. */
export const VOICEMAIL_THANKS = "Thank you. We got your message and will call you back soon. Goodbye.";
