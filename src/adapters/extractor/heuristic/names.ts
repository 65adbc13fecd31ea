import { readName, readNameAndRest } from "./name-words.ts";
import { sentences, type Turn } from "./turns.ts";

/*
 * The caller's own name, from the caller's lines only (the agent's "this is Ava" is not the
 * caller, and neither is the neighbour who recommended us). Cues, most certain first:
 *  1. "put it under my wife's name … her name is Julia Sorensen": the name the lead goes under;
 *  2. "last name Nakagawa, first name Ken"; "my name is …", "name's …", "me llamo …", "mi nombre es …";
 *  3. the answer to the agent's "can I get your name?" ("Sure, Maria Gonzalez." / "I'm the
 *     owner, Richard Coleman.");
 *  4. "this is …", "it's …", "I'm …", "soy …", "Kevin O'Brien here", or a greeting then a full
 *     name ("Hi Quinn, Doug Farrell."), with capitalised words only.
 * Each cue is an anchored pattern tried once per sentence, and a name is read at most a few
 * words past its cue, so the work is linear in the transcript.
 */

/** What the account is put under: the next name the caller gives is the lead's. */
const PUT_UNDER = /\b(?:put|book|have|file)\s+(?:it|this|that|the\s+\w+)\s+(?:under|in)\s+(?:my|her|his|the)\s+(?:[\w-]+['’]s\s+)?name\b/i;
const ANY_NAME_IS = /\b(?:name\s+is|name['’]s)\s+/i;
/** "(my) name is", "the name's", "me llamo": "her name is" and "my wife's name is" name someone else. */
const STRONG_NAME_CUES =
  /(?:(?<!\b(?:her|his|their|your|whose|its|last|first|middle|the\s+business|[\w-]+['’]s)\s+)\bname(?:\s+is|['’]s)|\bme\s+llamo|\bmi\s+nombre\s+es)\s+/gi;
/** "Last name Nakagawa, …, first name Ken." (either order): the two read apart and joined. */
const LAST_NAME_CUE = /\blast name(?:\s+is|['’]s)?[,:]?\s+/i;
const FIRST_NAME_CUE = /\bfirst name(?:\s+is|['’]s)?[,:]?\s+/i;
const WEAK_NAME_CUE = /(?:\bthis\s+is|\bit['’]s|\bit\s+is|\bI['’]m|\bI\s+am|\bsoy)\s+/gi;
const NAME_QUESTION =
  /\b(?:your name|who am i speaking|who i'm speaking|speaking with|who do i have|may i ask who|and you are|name for|name please|get a name|your full name|who(?:'s| is) calling|name\?|nombre)/i;
/** What a caller says before answering the name question ("Oh, sorry. It's …", "I'm the owner, …"). */
const ANSWER_PREAMBLE =
  /^(?:(?:sure|yes|yeah|yep|yup|ok|okay|uh|um|oh|sorry|hi|hello|s[ií]|it['’]s|it is|this is|i['’]m|i am|my name is|my name['’]s|name['’]s|soy|me llamo)[,.!]?\s+)+(?:(?:the|her|his|their)\s+[\w-]+(?:\s+[\w-]+)?,\s+)?/i;
/** A greeting and maybe the agent's first name before a caller's full name. */
const GREETING = /^(?:(?:hi|hey|hello|yeah|yes|oh|okay|ok|good morning|good afternoon|good evening|morning|afternoon)[,.!]?\s+)+(?:\p{Lu}\p{Ll}+,\s+)?/iu;
const SIGN_OFF = /^(?:here|speaking|calling)\b/i;

const words = (name: string) => name.split(" ").filter((w) => /^\p{Lu}/u.test(w)).length;

/**
 * A full name (two words or more) said as "Kevin O'Brien here", or, in the caller's first words, a
 * whole sentence after a greeting ("Hi Quinn, Doug Farrell.").
 */
function introducedName(sentence: string, opening: boolean): string | null {
  const greeting = GREETING.exec(sentence);
  const read = readNameAndRest(greeting ? sentence.slice(greeting[0].length) : sentence);
  if (!read || words(read.name) < 2) return null;
  if (SIGN_OFF.test(read.rest.replace(/^[,.]\s*/, ""))) return read.name; // "Kevin O'Brien here", "Robert Hayes Jr. calling"
  return opening && greeting && /^[.!]?$/.test(read.rest) ? read.name : null;
}

/** A one-word name, then the whole name ("Okafor. Greg Okafor.", "Cortez, Luis Cortez."): the whole. */
function fuller({ name, rest }: { name: string; rest: string }): string {
  if (name.includes(" ") || !/^[.,]/.test(rest)) return name;
  const next = readName(rest.slice(1));
  return next && next.split(" ").length > 1 && next.split(" ").includes(name) ? next : name;
}

/** A role between the cue and the name: "this is his sister, Maria Ortiz", "I'm the maintenance supervisor, Rick Alvarez". */
const ROLE = /^(?:the|his|her|their|your|a|an)\s+(?:[\w-]+\s+){0,2}[\w-]+,\s+/i;

/** The name after "this is", "it's", "I'm" or "soy" (and a role: "this is his sister, Maria Ortiz"). */
function cuedName(text: string): string | null {
  for (const cue of text.matchAll(WEAK_NAME_CUE)) {
    const after = text.slice(cue.index + cue[0].length);
    const role = ROLE.exec(after);
    const read = readNameAndRest(role ? after.slice(role[0].length) : after);
    if (read) return fuller(read);
  }
  return null;
}

/** The answer to the agent's name question, when it is a name. */
function answeredName(answer: string): string | null {
  // "Hi Ava, this is Raj Patel.": a cue in the answer says which words are the name.
  const cued = cuedName(answer) ?? introducedName(sentences(answer)[0] ?? "", true);
  if (cued) return cued;
  const said = answer.replace(ANSWER_PREAMBLE, "");
  const read = readNameAndRest(said);
  if (read) return fuller(read);
  // An all-lowercase transcript: only a reply that is nothing but a name ("yeah it's gabriel ruiz").
  const first = sentences(said)[0] ?? "";
  const lower = readName(first, { anyCase: true });
  return lower && lower.split(" ").length === first.replace(/[.,!?]+$/, "").split(/\s+/).length && lower.split(" ").length >= 2 ? lower : null;
}

/** A first name, then the answer to "and your last name?" in the next exchange: both. */
function withLastName(first: string, turns: Turn[], answeredAt: number): string {
  const [asked, answer] = [turns[answeredAt + 1], turns[answeredAt + 2]];
  if (asked?.speaker !== "agent" || answer?.speaker !== "caller" || !/\blast name\b/i.test(asked.text)) return first;
  const last = readName(answer.text.replace(ANSWER_PREAMBLE, ""));
  return last && !last.includes(" ") ? `${first} ${last}` : first;
}

export function findName(turns: Turn[]): string | null {
  const callerTurns = turns.map((turn, i) => ({ turn, i })).filter(({ turn }) => turn.speaker === "caller");
  const said = callerTurns.flatMap(({ turn }) => sentences(turn.text));

  for (let s = 0; s < said.length; s++) {
    if (!PUT_UNDER.test(said[s]!)) continue;
    for (const later of said.slice(s, s + 3)) {
      const cue = ANY_NAME_IS.exec(later);
      const name = cue && readName(later.slice(cue.index + cue[0].length), { anyCase: true });
      if (name) return name;
    }
  }
  for (const { turn } of callerTurns) {
    const last = LAST_NAME_CUE.exec(turn.text);
    if (!last) continue;
    const first = FIRST_NAME_CUE.exec(turn.text);
    const family = readName(turn.text.slice(last.index + last[0].length), { anyCase: true });
    // "F-R-A-N-K, and the last name is N-G": the first name is what the turn begins with.
    const given = first
      ? readName(turn.text.slice(first.index + first[0].length), { anyCase: true })
      : readName(turn.text.slice(0, last.index).replace(ANSWER_PREAMBLE, ""));
    if (family && given) return `${given} ${family}`;
  }
  for (const { turn } of callerTurns) {
    for (const cue of turn.text.matchAll(STRONG_NAME_CUES)) {
      const read = readNameAndRest(turn.text.slice(cue.index + cue[0].length), { anyCase: true });
      if (read) return fuller(read);
    }
  }
  for (const { turn, i } of callerTurns) {
    const asked = turns[i - 1];
    if (asked?.speaker !== "agent" || !NAME_QUESTION.test(asked.text)) continue;
    const name = answeredName(turn.text);
    if (name) return name.includes(" ") ? name : withLastName(name, turns, i);
  }
  // Cues over a whole turn, so a name can go on into the next sentence ("It's Lorena. Lorena Ibarra.").
  for (const [t, { turn }] of callerTurns.entries()) {
    const name = cuedName(turn.text) ?? sentences(turn.text).map((sentence) => introducedName(sentence, t === 0)).find(Boolean);
    if (name) return name;
  }
  return null;
}
