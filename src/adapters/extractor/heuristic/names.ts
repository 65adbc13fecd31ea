import { callerSentences, type Turn } from "./turns.ts";

const NAME_WORD = "[\\p{L}][\\p{L}'’-]*";
const STRONG_NAME_CUE = new RegExp(`\\b(?:my name is|my name's|name is|me llamo|mi nombre es)\\s+(${NAME_WORD}(?:\\s+${NAME_WORD}){0,2})`, "iu");
const WEAK_NAME_CUE = new RegExp(`\\b(?:[Tt]his is|[Ii]t['’]s|[Ii]t is|[Ss]oy)\\s+(\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu}[\\p{L}'’-]+){0,2})`, "u");
const NAME_QUESTION = /\b(your name|who am i speaking|who i'm speaking|name for|name please|get a name|your full name)\b/i;
/** What a caller says before answering the name question ("Sure, it's …"). */
const ANSWER_PREAMBLE = /^(?:(?:sure|yes|yeah|yep|ok|okay|uh|um|it's|it is|this is)[,.!]?\s+)+/i;
/** An answer that is only a capitalised name ("Maria Lopez."). */
const BARE_NAME = /^(\p{Lu}\p{Ll}+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})\s*(?:[.,!]|$)/u;
/** Words that end a name: "my name is priya and i…", "this is Kevin calling about…". */
const NOT_NAME = new Set([
  "and", "i", "i'm", "im", "um", "uh", "from", "calling", "with", "at", "here", "the", "a", "an", "y", "es", "but", "so",
  "just", "again", "over", "in", "on", "about", "speaking", "actually", "yes", "yeah", "sure", "okay", "ok",
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "not", "really", "going", "gonna",
]);

function cleanName(raw: string): string | null {
  const words: string[] = [];
  for (const word of raw.split(/\s+/)) {
    if (NOT_NAME.has(word.toLowerCase())) break;
    words.push(word.charAt(0).toUpperCase() + word.slice(1));
  }
  return words.length ? words.join(" ") : null;
}

/**
 * The caller's name from their own lines: "my name is …" (or Spanish "me llamo …"), the answer to
 * the agent's "can I get your name?", or "this is …/it's …" followed by capitalised words.
 */
export function findName(turns: Turn[]): string | null {
  for (const sentence of callerSentences(turns)) {
    const match = STRONG_NAME_CUE.exec(sentence);
    if (match) return cleanName(match[1]!);
  }
  for (let i = 1; i < turns.length; i++) {
    const [asked, answer] = [turns[i - 1]!, turns[i]!];
    if (asked.speaker !== "agent" || answer.speaker !== "caller" || !NAME_QUESTION.test(asked.text)) continue;
    const match = BARE_NAME.exec(answer.text.replace(ANSWER_PREAMBLE, ""));
    if (match) return cleanName(match[1]!);
  }
  for (const sentence of callerSentences(turns)) {
    const match = WEAK_NAME_CUE.exec(sentence);
    if (match) return cleanName(match[1]!);
  }
  return null;
}
