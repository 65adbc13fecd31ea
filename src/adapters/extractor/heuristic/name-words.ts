/*
 * Reading a person's name from the words after a cue ("my name is …", "I'm …"), one word at a
 * time: name words (capitalised, or any case where the cue leaves no doubt), the particles of
 * a surname (De La Cruz, van der Berg), a title skipped (Dr. Anand Rao), and a stop at the first
 * word that is not part of a name ("… and I have a clog", "… here", "… by the way").
 */

/** Words of a business's name ("this is Peachtree Electric, right?"), never of a person's. */
const BUSINESS_WORDS = [
  "plumbing", "roofing", "electric", "electrical", "heating", "cooling", "services", "service", "company", "restoration",
  "hardware", "dental", "inc", "llc", "air", "construction", "contractors", "solutions", "home", "homes",
];
const BUSINESS_WORD = new Set(BUSINESS_WORDS);

/** Words that never are (or begin) a name: function words, fillers, words of a call. */
const NOT_NAME = new Set(
  [
    "a", "an", "the", "and", "or", "but", "so", "i", "i'm", "im", "me", "my", "mine", "we", "we're", "our", "you", "your", "he", "she",
    "it", "it's", "its", "they", "them", "this", "that", "that's", "these", "those", "there", "here", "what", "who", "why", "how",
    "when", "where", "which", "is", "are", "was", "were", "be", "been", "am", "do", "does", "doesn't", "don't", "did", "didn't",
    "can", "can't", "could", "would", "should", "will", "won't", "just", "not", "no", "yes", "yeah", "yep", "sure", "okay", "ok",
    "um", "uh", "oh", "hi", "hey", "hello", "hola", "thanks", "thank", "please", "sorry", "well", "actually", "really", "again",
    "also", "still", "from", "with", "at", "in", "on", "of", "to", "for", "by", "about", "over", "calling", "speaking", "here",
    "going", "gonna", "trying", "looking", "wondering", "good", "fine", "great", "new", "calling", "call", "number", "phone",
    "name", "last", "first", "spelled", "like", "then", "now", "today", "tomorrow", "tonight", "morning", "afternoon", "evening",
    "y", "es", "el", "la", "mi", "soy", "sí", "si", "señor", "señora", "bueno", "buenas", "buenos", "gracias", "owner", "homeowner",
    "tenant", "landlord", "manager", "husband", "wife", "son", "daughter", "mother", "mom", "dad", "father", "neighbor", "neighbour",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december", "emergency", "urgent",
    "happy", "merry", "christmas", "easter", "thanksgiving", "holidays", "holiday", "quick", "question", "real", "long", "story",
    ...BUSINESS_WORDS,
  ].map((w) => w.normalize("NFC")),
);
/** Lowercase words inside a surname, kept as said when a name word follows them. */
const PARTICLES = new Set(["de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du", "van", "von", "der", "den", "ter", "le", "st", "bin", "al", "mc", "mac"]);
const TITLE = /^(?:dr|mr|mrs|ms|miss|mx|prof|rev|reverend|pastor|father|sister)\.?$/i;
const NAME_WORD = /^\p{L}[\p{L}'’-]*$/u;
const CAPITALISED = /^\p{Lu}/u;
/** A name has at most this many words besides particles ("Rosa Elena Quintero Vázquez"). */
const MAX_NAME_WORDS = 4;
/** Far enough for the longest name and its title; a cue is never read further than this. */
const READ_CHARS = 80;

export const isNotName = (word: string) => NOT_NAME.has(word.toLowerCase().normalize("NFC"));

/** A name spelled letter by letter ("F-R-A-N-K", "N-G") as the word it spells ("Frank", "Ng"). */
const spelledOut = (word: string) =>
  /^\p{L}(?:-\p{L})+$/u.test(word) ? word.charAt(0).toUpperCase() + word.slice(1).replace(/-/g, "").toLowerCase() : word;

/**
 * The name that begins `text` (after a cue), or null. Reading stops at punctuation other than a
 * title's period, at a word that is no name, and after MAX_NAME_WORDS words. `anyCase` accepts
 * lowercase words (after "my name is", or a whole answer to "your name?"), capitalising them.
 * "Brandon, Brandon Hughes" (a first name, then the whole) reads as the whole.
 */
export function readName(text: string, options: { anyCase?: boolean } = {}): string | null {
  return readNameAndRest(text, options)?.name ?? null;
}

/** readName, and what follows the name (its closing punctuation, then the next words). */
export function readNameAndRest(text: string, { anyCase = false } = {}): { name: string; rest: string } | null {
  const head = text.slice(0, READ_CHARS).trimStart();
  const tokens = head.split(/\s+/);
  const words: string[] = [];
  let named = 0;
  let last = -1;
  const bare = (token: string | undefined) => token?.replace(/[.,!?;:…]+$/, "").replace(/^["“(]/, "");
  const canName = (word: string | undefined) => word !== undefined && NAME_WORD.test(word) && !isNotName(word) && (anyCase || CAPITALISED.test(word));
  for (let i = 0; i < tokens.length && named < MAX_NAME_WORDS; i++) {
    const raw = tokens[i]!;
    if (words.length === 0 && TITLE.test(raw)) continue;
    const ends = /[.,!?;:…]+$/.exec(raw);
    const word = spelledOut(bare(raw)!);
    if (named > 0 && !ends && PARTICLES.has(word.toLowerCase())) {
      // A particle belongs to the name only when a name word follows it (De La Cruz).
      let j = i + 1;
      while (j < tokens.length && PARTICLES.has(tokens[j]!.toLowerCase())) j++;
      if (canName(bare(tokens[j]))) {
        words.push(word);
        continue;
      }
      break;
    }
    // "Peachtree Electric": a business's name, and no person's.
    if (named > 0 && BUSINESS_WORD.has(word.toLowerCase())) return null;
    // "it's Mike's house", "this is Kevin's wife": someone else, named by what is theirs.
    if (/['’]s$/.test(word) && canName(word.slice(0, -2))) return null;
    if (!canName(word)) break;
    words.push(CAPITALISED.test(word) ? word : word.charAt(0).toUpperCase() + word.slice(1));
    named += 1;
    last = i;
    if (ends) {
      // "Brandon, Brandon Hughes": the same first name again, then more of it.
      if (named === 1 && ends[0] === "," && bare(tokens[i + 1]) === word) {
        words.length = 0;
        named = 0;
        continue;
      }
      break;
    }
  }
  while (words.length && PARTICLES.has(words.at(-1)!.toLowerCase())) words.pop();
  if (named === 0) return null;
  const closing = /[.,!?;:…]+$/.exec(tokens[last]!)?.[0] ?? "";
  return { name: words.join(" "), rest: `${closing} ${tokens.slice(last + 1).join(" ")}`.trim() };
}
