import { sentences } from "./turns.ts";

const NEGATION_BEFORE = /\b(?:no|not|never|without|isn't|aren't|wasn't|don't|doesn't|didn't)\b[\w\s']{0,15}$/i;
/**
 * How far before a mention a negation can start: the longest negation word (7) plus the 15
 * characters allowed after it fit well inside. Testing only this window keeps each test O(1);
 * on the whole sentence before the mention it was O(sentence) per mention.
 */
const NEGATION_REACH = 40;

/** Whether `pattern` occurs in `text` in a sentence that does not negate it ("no flooding"). */
export function mentions(text: string, pattern: RegExp): boolean {
  const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  for (const sentence of sentences(text)) {
    for (const match of sentence.matchAll(global)) {
      const before = sentence.slice(Math.max(0, match.index - NEGATION_REACH), match.index);
      if (!NEGATION_BEFORE.test(before)) return true;
    }
  }
  return false;
}
