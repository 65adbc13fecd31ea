import { toE164 } from "../../../domain/phone.ts";
import { spokenDigitsToNumerals } from "./spoken-digits.ts";
import { sentences, type Turn } from "./turns.ts";

/**
 * A US-shaped number as people say and write it: 512-555-0199, (512) 555-0199, 512.555.0199,
 * +1 206 555 0234, and "area code 737, 555-0230" (a comma after the area code).
 */
const PHONE_PATTERN = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?(?:[\s.-]|,\s?)?\d{3}[\s.-]?\d{4}\b/g;
/** The agent asks for the number to call (the caller's reply is the answer). */
const NUMBER_QUESTION =
  /\b(?:(?:best|good|callback|call-back|contact|phone|cell|direct|right)\s+number|number\s+(?:to|where|for|should)|reach you|call you (?:back )?(?:at|on)|(?:this|that)\s+number\s+(?:is\s+)?(?:good|ok|okay|right|best)|what number|a number|phone number|who (?:should|do|can) (?:we|I|the [\w-]+) (?:call|reach|text))\b/i;
/** The caller asks to be called on this number ("call me back at … instead", "use my wife's cell"). */
const DIRECTIVE =
  /\b(?:instead|call me(?: back)?|call back|callback|reach me|best (?:number|way)|better number|text me|use|try|prefer|rather|mejor|ll[aá]me(?:me)?|(?:call|text|reach) (?:my|her|his|our) [\w-]+)\b/i;
/** Only if the caller cannot be reached ("if I don't pick up …", "if you can't reach me, try …"): a backup. */
const IF_UNREACHABLE =
  /\b(?:if (?:I|we) (?:don['’]t|do not|can['’]t) (?:answer|pick up|get it)|if (?:you|they) (?:can['’]t|cannot|don['’]t) (?:reach|get (?:a )?hold of|get through to) (?:me|us)|if (?:I['’]m|I am) (?:busy|out|not (?:around|there|home))|backup|back-up|alternate|alternative|otherwise)\b/i;
/** Someone else's number ("my son's number is …"): a backup unless the caller asks for it. */
const SOMEONE_ELSES =
  /\b(?:or (?:my|her|his)|(?:husband|wife|son|daughter|partner|mom|mother|dad|father|neighbou?r|tenant|landlord|office|work)['’]s (?:number|cell|phone|line))\b/i;
const WEAK_CUE = /\b(?:my number|number is|my cell|cell phone|cell number|my phone|direct line|mi n[uú]mero|el n[uú]mero)\b/i;
/** How far before a number its cue may be: the clause that introduces it. */
const CUE_REACH = 60;
/** How far after it "instead" may follow ("512-555-0199 instead"). */
const AFTER_REACH = 24;
/**
 * How many distinct numbers one transcript may have validated. Validation (libphonenumber) is the
 * costly step, 10–60 µs a number; a caller gives one to three, a transcript of nothing but digits
 * thousands. Candidates are validated best first, so a real call never reaches the limit.
 */
const MAX_VALIDATED = 64;

/** How sure we are that this number is the one to call back, from the words around it. */
function strength(before: string, after: string, answersQuestion: boolean): number {
  if (IF_UNREACHABLE.test(before)) return 0.5;
  if (DIRECTIVE.test(before) || /^\W{0,3}(?:instead|is better|works better)\b/i.test(after)) return 4;
  if (SOMEONE_ELSES.test(before)) return 0.5;
  if (answersQuestion) return 3;
  return WEAK_CUE.test(before) ? 2 : 0;
}

/**
 * The number to call the customer back on: the one the caller asked to be called back on, from
 * the caller's own numbers only (the agent's read-backs are not the caller's words), the
 * strongest cue first and, among equals, the last said, so a correction wins ("0241, no, sorry,
 * it's 0214"). "Call me back at … instead" and "use my wife's cell, …" beat the answer to "best
 * number?", which beats "my number is …"; a backup ("if I don't pick up, my son's …") loses to
 * all of them. With no cued number, caller ID (which extractFields records as caller_id);
 * without caller ID, any number the caller said.
 */
export function findCallbackPhone(turns: Turn[], callerId: string | null): string | null {
  const heard: { digits: string; strength: number }[] = [];
  turns.forEach((turn, i) => {
    if (turn.speaker !== "caller") return;
    const asked = turns[i - 1];
    const answersQuestion = asked?.speaker === "agent" && NUMBER_QUESTION.test(asked.text);
    for (const sentence of sentences(turn.text)) {
      const said = spokenDigitsToNumerals(sentence);
      // A number's cue is in the words since the number before it: "call me back at X, or my wife at Y".
      let previousEnd = 0;
      for (const match of said.matchAll(PHONE_PATTERN)) {
        const before = said.slice(Math.max(previousEnd, match.index - CUE_REACH), match.index);
        previousEnd = match.index + match[0].length;
        const after = said.slice(match.index + match[0].length, match.index + match[0].length + AFTER_REACH);
        heard.push({ digits: match[0], strength: strength(before, after, answersQuestion) });
      }
    }
  });
  const validated = new Map<string, string | null>();
  const valid = (digits: string) => {
    if (!validated.has(digits)) validated.set(digits, validated.size < MAX_VALIDATED ? toE164(digits.replace(/[^\d+]/g, "")) : null);
    return validated.get(digits)!;
  };
  const cued = [...heard.keys()].filter((i) => heard[i]!.strength >= 2).sort((a, b) => heard[b]!.strength - heard[a]!.strength || b - a);
  for (const i of cued) {
    const phone = valid(heard[i]!.digits);
    if (phone) return phone;
  }
  if (callerId) return callerId;
  // No caller ID: the caller's numbers, main ones before backups.
  const rest = [...heard.keys()].filter((i) => heard[i]!.strength < 2).sort((a, b) => heard[b]!.strength - heard[a]!.strength || a - b);
  for (const i of rest) {
    const phone = valid(heard[i]!.digits);
    if (phone) return phone;
  }
  return null;
}
