const DIGIT_WORDS: Record<string, string> = {
  zero: "0", oh: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9",
};
// Own keys only: `"constructor" in DIGIT_WORDS` is true.
const isDigitWord = (token: string) => Object.hasOwn(DIGIT_WORDS, token.toLowerCase());

/**
 * Spoken phone numbers as digits ("five one two, five five five, zero one six four" →
 * "5125550164"). Only runs that add up to a phone number's length are rewritten, so "oh" and
 * "one" elsewhere are left alone.
 */
export function spokenDigitsToNumerals(text: string): string {
  const tokens = text.split(/([\s,.-]+)/);
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    const digits = run.filter((_, i) => i % 2 === 0).map((t) => (isDigitWord(t) ? DIGIT_WORDS[t.toLowerCase()]! : t)).join("");
    const spoken = run.some((t, i) => i % 2 === 0 && isDigitWord(t));
    if (spoken && (digits.length === 10 || digits.length === 11)) out.push(digits);
    // One by one: spreading a run of a million tokens into push() overflows the stack.
    else for (const token of run) out.push(token);
    run = [];
  };
  for (const token of tokens) {
    const isDigit = isDigitWord(token) || /^\d+$/.test(token);
    const isSeparator = /^[\s,.-]+$/.test(token);
    if (isDigit && run.length % 2 === 0) run.push(token);
    else if (isSeparator && run.length % 2 === 1) run.push(token);
    else {
      // A trailing separator belongs after the run, not inside it.
      const trailing = run.length % 2 === 0 ? run.pop() : undefined;
      if (run.length) flush();
      if (trailing !== undefined) out.push(trailing);
      if (isDigit) run.push(token);
      else out.push(token);
    }
  }
  const trailing = run.length % 2 === 0 ? run.pop() : undefined;
  if (run.length) flush();
  if (trailing !== undefined) out.push(trailing);
  return out.join("");
}
