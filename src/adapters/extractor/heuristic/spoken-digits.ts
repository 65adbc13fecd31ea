const DIGIT_WORDS: Record<string, string> = {
  zero: "0", oh: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9",
};
const SEPARATOR = /[\s,.-]+/;
/** A whole word that is a digit: a digit word or digits, between separators (not "someone", "4th"). */
const DIGIT = `(?:${Object.keys(DIGIT_WORDS).join("|")}|\\d+)(?![^\\s,.-])`;
/**
 * A run of digits joined by separators, ending on a digit. One native scan: each match starts
 * only after a separator, and a failed step gives back at most the separators before it.
 */
const DIGIT_RUN = new RegExp(`(?<![^\\s,.-])${DIGIT}(?:${SEPARATOR.source}${DIGIT})*`, "gi");

/**
 * Spoken phone numbers as digits ("five one two, five five five, zero one six four" →
 * "5125550164"). Only runs that add up to a phone number's length are rewritten, so "oh" and
 * "one" elsewhere are left alone.
 */
export function spokenDigitsToNumerals(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const words = run.split(SEPARATOR);
    const spoken = words.some((w) => Object.hasOwn(DIGIT_WORDS, w.toLowerCase()));
    const digits = words.map((w) => DIGIT_WORDS[w.toLowerCase()] ?? w).join("");
    return spoken && (digits.length === 10 || digits.length === 11) ? digits : run;
  });
}
