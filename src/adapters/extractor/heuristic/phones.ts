import { toE164 } from "../../../domain/phone.ts";
import { spokenDigitsToNumerals } from "./spoken-digits.ts";
import { callerSentences, type Turn } from "./turns.ts";

const PHONE_PATTERN = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g;
/** Cues of a number the caller wants to be called on instead of the one they called from. */
const STRONG_CALLBACK_CUE = /\b(instead|call me back|call back|callback|reach me|best number|better number|text me)\b/i;
const WEAK_CALLBACK_CUE = /\b(my number|number is|my cell|cell phone|cell number|mi n[uú]mero)\b/i;
/**
 * How many distinct numbers one transcript may have validated. Validation (libphonenumber) is the
 * costly step, 10–60 µs a number; a caller gives one to three, a transcript of nothing but digits
 * thousands. Candidates are validated best first, so a real call never reaches the limit.
 */
const MAX_VALIDATED = 64;

const cueStrength = (sentence: string) => (STRONG_CALLBACK_CUE.test(sentence) ? 2 : WEAK_CALLBACK_CUE.test(sentence) ? 1 : 0);

/**
 * The number to call the customer back on: the last number the caller gave with a callback cue
 * ("call me back at … instead" beats "my number is …"), else caller ID, else any number the
 * caller said. Numbers the agent reads back are not the caller's words and are ignored.
 */
export function findCallbackPhone(turns: Turn[], callerId: string | null): string | null {
  const heard: { digits: string; strength: number }[] = [];
  for (const sentence of callerSentences(turns)) {
    // The cue is read once per sentence, not once per number in it (that was quadratic).
    let strength: number | undefined;
    for (const match of spokenDigitsToNumerals(sentence).matchAll(PHONE_PATTERN)) {
      strength ??= cueStrength(sentence);
      heard.push({ digits: match[0], strength });
    }
  }
  const validated = new Map<string, string | null>();
  const valid = (digits: string) => {
    if (!validated.has(digits)) validated.set(digits, validated.size < MAX_VALIDATED ? toE164(digits) : null);
    return validated.get(digits)!;
  };
  for (const strength of [2, 1]) {
    for (let i = heard.length - 1; i >= 0; i--) {
      const phone = heard[i]!.strength === strength ? valid(heard[i]!.digits) : null;
      if (phone) return phone;
    }
  }
  if (callerId) return callerId;
  for (const { digits } of heard) {
    const phone = valid(digits);
    if (phone) return phone;
  }
  return null;
}
