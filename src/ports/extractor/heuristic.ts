import { TZDate } from "@date-fns/tz";
import { normalizeSource, type LeadType, type Urgency } from "../../domain/lead.ts";
import { toE164 } from "../../domain/phone.ts";
import { isoDateOf } from "../../domain/structured-fields.ts";
import type { ExtractedFields, ExtractionInput, Extractor } from "./extractor.ts";

/*
 * The offline extractor: plain patterns over the transcript, used when no LLM is configured or
 * the LLM failed. It prefers leaving a field absent to guessing; intake fills the gaps.
 */

/** One speaker's turn of a transcript. */
export interface Turn {
  speaker: "agent" | "caller";
  text: string;
}

const AGENT_LABEL = /^\s*(ai|agent|assistant|bot|robot|receptionist|operator)\s*:\s*/i;
const CALLER_LABEL = /^\s*(user|customer|caller|human|client)\s*:\s*/i;

/**
 * Turns of a transcript as Vapi ("AI:/User:"), Retell ("Agent:/User:"), Bland ("assistant:/
 * user:") and people ("Receptionist:/Caller:") write them. Unlabelled text is all the caller's.
 */
export function splitTurns(transcript: string): Turn[] {
  const turns: Turn[] = [];
  for (const line of transcript.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const speaker = AGENT_LABEL.test(line) ? "agent" : CALLER_LABEL.test(line) ? "caller" : null;
    const text = line.replace(AGENT_LABEL, "").replace(CALLER_LABEL, "").trim();
    const last = turns.at(-1);
    if (speaker) turns.push({ speaker, text });
    else if (last) last.text += ` ${text}`;
    else turns.push({ speaker: "caller", text });
  }
  return turns;
}

/** Sentences of a text, split after . ! or ? (good enough for transcripts). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const callerSentences = (turns: Turn[]) => turns.filter((t) => t.speaker === "caller").flatMap((t) => sentences(t.text));

const DIGIT_WORDS: Record<string, string> = {
  zero: "0", oh: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9",
};

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
    const digits = run.filter((_, i) => i % 2 === 0).map((t) => DIGIT_WORDS[t.toLowerCase()] ?? t).join("");
    const spoken = run.some((t, i) => i % 2 === 0 && t.toLowerCase() in DIGIT_WORDS);
    if (spoken && (digits.length === 10 || digits.length === 11)) out.push(digits);
    else out.push(...run);
    run = [];
  };
  for (const token of tokens) {
    const isDigit = token.toLowerCase() in DIGIT_WORDS || /^\d+$/.test(token);
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

const PHONE_PATTERN = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g;
/** Cues of a number the caller wants to be called on instead of the one they called from. */
const STRONG_CALLBACK_CUE = /\b(instead|call me back|call back|callback|reach me|best number|better number|text me)\b/i;
const WEAK_CALLBACK_CUE = /\b(my number|number is|my cell|cell phone|cell number|mi n[uú]mero)\b/i;

/**
 * The number to call the customer back on: the last number the caller gave with a callback cue
 * ("call me back at … instead" beats "my number is …"), else caller ID, else any number the
 * caller said. Numbers the agent reads back are not the caller's words and are ignored.
 */
export function findCallbackPhone(turns: Turn[], callerId: string | null): string | null {
  const spoken: { phone: string; strength: number }[] = [];
  for (const sentence of callerSentences(turns)) {
    const normalized = spokenDigitsToNumerals(sentence);
    for (const match of normalized.matchAll(PHONE_PATTERN)) {
      const phone = toE164(match[0]);
      if (!phone) continue;
      const strength = STRONG_CALLBACK_CUE.test(sentence) ? 2 : WEAK_CALLBACK_CUE.test(sentence) ? 1 : 0;
      spoken.push({ phone, strength });
    }
  }
  const best = Math.max(0, ...spoken.map((s) => s.strength));
  if (best > 0) return spoken.filter((s) => s.strength === best).at(-1)!.phone;
  return callerId ?? spoken[0]?.phone ?? null;
}

const NAME_WORD = "[\\p{L}][\\p{L}'’-]*";
const STRONG_NAME_CUE = new RegExp(`\\b(?:my name is|my name's|name is|me llamo|mi nombre es)\\s+(${NAME_WORD}(?:\\s+${NAME_WORD}){0,2})`, "iu");
const WEAK_NAME_CUE = new RegExp(`\\b(?:[Tt]his is|[Ii]t['’]s|[Ii]t is|[Ss]oy)\\s+(\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu}[\\p{L}'’-]+){0,2})`, "u");
const NAME_QUESTION = /\b(your name|who am i speaking|who i'm speaking|name for|name please|get a name|your full name)\b/i;
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
    const reply = answer.text.replace(/^(?:(?:sure|yes|yeah|yep|ok|okay|uh|um|it's|it is|this is)[,.!]?\s+)+/i, "");
    const match = new RegExp(`^(\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu}[\\p{L}'’-]+){0,2})\\s*(?:[.,!]|$)`, "u").exec(reply);
    if (match) return cleanName(match[1]!);
  }
  for (const sentence of callerSentences(turns)) {
    const match = WEAK_NAME_CUE.exec(sentence);
    if (match) return cleanName(match[1]!);
  }
  return null;
}

const withLower = (words: string[]) => words.flatMap((w) => [w, w.toLowerCase()]).join("|");
const SUFFIXES = withLower([
  "Street", "Avenue", "Road", "Drive", "Lane", "Boulevard", "Court", "Circle", "Way", "Parkway", "Trail", "Place",
  "Loop", "Cove", "Highway", "Terrace", "Bend", "Pass", "Path", "Run", "Row", "Square",
]);
const ABBREVIATIONS = withLower(["St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Cir", "Pkwy", "Trl", "Pl", "Cv", "Hwy"]);
const STATES = [
  "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida", "Georgia",
  "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
  "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
  "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
  "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
  "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "[A-Z]{2}",
].join("|");
// Street-name words must be capitalised (or ordinals like 38th): "20 years on this street" is
// not an address, "4821 Burnet Road" is.
const STREET = new RegExp(
  `\\b\\d{1,6}\\s+(?:(?:North|South|East|West|N|S|E|W)\\.?\\s+)?(?:(?:\\p{Lu}[\\p{L}'’-]*|\\d+(?:st|nd|rd|th))\\s+){1,4}(?:${SUFFIXES}|${ABBREVIATIONS})\\b`,
  "u",
);
const UNIT = new RegExp(`^,?\\s+(?:${withLower(["Apartment", "Apt", "Unit", "Suite", "Ste"])}|#)\\.?\\s*[A-Za-z0-9-]+`);
const CITY_STATE_ZIP = new RegExp(
  `^(,?\\s+)((?!(?:${STATES})\\b)\\p{Lu}\\p{Ll}+(?:\\s+(?!(?:${STATES})\\b)\\p{Lu}\\p{Ll}+){0,2})?(?:,?\\s+(${STATES})\\b)?(?:,?\\s+(\\d{5}(?:-\\d{4})?)\\b)?`,
  "u",
);

/** A street address the caller gave (number, street, unit, city, state, ZIP) and its city. */
export function findAddress(text: string): { serviceAddress: string; market: string | null } | null {
  const street = STREET.exec(text);
  if (!street) return null;
  let address = street[0];
  let rest = text.slice(street.index + address.length);
  const unit = UNIT.exec(rest);
  if (unit) {
    address += unit[0];
    rest = rest.slice(unit[0].length);
  }
  let market: string | null = null;
  const tail = CITY_STATE_ZIP.exec(rest);
  if (tail) {
    const [whole, separator, city, state, zip] = tail;
    // A capitalised word after the street is only a city when a comma, state or ZIP says so.
    const isCity = city !== undefined && (separator!.includes(",") || state !== undefined || zip !== undefined);
    if (isCity || state || zip) {
      address += whole;
      market = isCity ? city : null;
    }
  }
  return { serviceAddress: address.trim().replace(/[,.]$/, ""), market };
}

// Written without the i flag, which would let \p{Lu} match lowercase words too.
const LIVES_IN = /\b(?:I['’]m|I am|[Ww]e['’]re|[Ww]e are|I live|[Ww]e live|[Ll]ocated|[Ll]ive)\s+(?:over\s+|out\s+|up\s+|down\s+)?in\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)/u;

/** The market (city) from "we're in Pflugerville" / "I live in Round Rock", when no address gave one. */
export function findMarket(turns: Turn[]): string | null {
  for (const sentence of callerSentences(turns)) {
    const match = LIVES_IN.exec(sentence);
    if (match) return match[1]!;
  }
  return null;
}

const NEGATION_BEFORE = /\b(?:no|not|never|without|isn't|aren't|wasn't|don't|doesn't|didn't)\b[\w\s']{0,15}$/i;

/** Whether `pattern` occurs in `text` in a sentence that does not negate it ("no flooding"). */
export function mentions(text: string, pattern: RegExp): boolean {
  const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  for (const sentence of sentences(text)) {
    for (const match of sentence.matchAll(global)) {
      if (!NEGATION_BEFORE.test(sentence.slice(0, match.index))) return true;
    }
  }
  return false;
}

const SAFETY = /\b(gas (smell|leak)|smell(s|ing)? (like )?gas|carbon monoxide|spark(s|ing)|smoke|smoking|burning smell|on fire|no heat)\b/i;
const ACTIVE_LOSS =
  /\b(flood(s|ing|ed)?|(burst|broken|busted) (water )?(pipe|line)|(pipe|line) (burst|broke)|water (is )?(everywhere|pouring|gushing|spraying|coming through)|sewage|sewer (is )?backing up|backing up into|through the ceiling)\b/i;
const SAYS_EMERGENCY = /\b(emergency|urgent)\b/i;
const NO_HURRY =
  /\b(no rush|no hurry|no big rush|not urgent|not an emergency|at your convenience|whenever (works|is (convenient|fine|good)|you (can|get a chance|have time)))\b/i;
const PROBLEM =
  /\b(leak(s|ing)?|drip(s|ping)?|broken|broke|not working|stopped working|won't|isn't working|clogged|backed up|jammed|tripping|running|blowing warm|no hot water|making (a )?noise|replace|replacing|install)\b/i;

/**
 * Urgency from what the caller said: a safety hazard (gas, sparks, no heat) is an emergency;
 * water actively doing damage (flooding, burst pipe, sewage) is active loss; "no rush" is low;
 * any other described problem is standard. Nothing described: absent.
 */
export function findUrgency(text: string, problemDescribed: boolean): Urgency | null {
  if (mentions(text, SAFETY)) return "emergency";
  if (mentions(text, ACTIVE_LOSS)) return "active_loss";
  if (mentions(text, SAYS_EMERGENCY)) return "emergency";
  if (NO_HURRY.test(text)) return "low";
  if (problemDescribed || mentions(text, PROBLEM)) return "standard";
  return null;
}

/** The built-in trades and the words that point to them, for businesses that list none. */
const TRADES: [name: string, pattern: RegExp][] = [
  ["water damage", /\b(water damage|mold)\b/i],
  ["plumbing", /\b(plumb\w*|pipes?|leak\w*|faucet|toilet|drain\w*|clog\w*|water heater|water line|sewer|sewage|sink|shower|spigot|disposal|repip\w*)\b/i],
  ["HVAC", /\b(hvac|a\/?c|air condition\w*|furnace|heat pump|thermostat|heating|cooling|no heat|ductwork|blowing warm)\b/i],
  ["electrical", /\b(electric\w*|outlets?|breakers?|wiring|spark\w*|panel|lights? flicker\w*)\b/i],
  ["roofing", /\b(roof\w*|shingles?)\b/i],
];

/** Words that do not tell one service from another ("AC repair" is about "AC"). */
const GENERIC_WORDS = new Set(["repair", "repairs", "service", "services", "installation", "install", "replacement", "cleaning", "maintenance", "work", "general", "and", "&"]);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function firstIndex(text: string, word: string): number {
  const match = new RegExp(`\\b${escapeRegExp(word)}\\b`, "i").exec(text.replace(/\ba\/c\b/gi, "AC"));
  return match ? match.index : -1;
}

/**
 * The service type: one of the business's `serviceTypes` whose distinctive words all occur (the
 * most specific, then the earliest mentioned), else the built-in trade mentioned first (named as
 * the business names it when it lists that trade).
 */
export function findServiceType(text: string, serviceTypes: string[]): string | null {
  const candidates = serviceTypes
    .map((type) => {
      const words = type.toLowerCase().split(/\s+/).filter((w) => !GENERIC_WORDS.has(w));
      const positions = words.map((w) => firstIndex(text, w));
      return { type, specificity: words.length, at: words.length && positions.every((p) => p >= 0) ? Math.min(...positions) : -1 };
    })
    .filter((c) => c.at >= 0)
    .sort((a, b) => b.specificity - a.specificity || a.at - b.at);
  if (candidates[0]) return candidates[0].type;

  const trades = TRADES.map(([name, pattern]) => ({ name, at: pattern.exec(text)?.index ?? -1 }))
    .filter((t) => t.at >= 0)
    .sort((a, b) => a.at - b.at);
  const trade = trades[0]?.name;
  if (!trade) return null;
  return serviceTypes.find((type) => type.toLowerCase().includes(trade.toLowerCase())) ?? trade;
}

const REFERRAL =
  /\b(referred (me|us)|recommended (you|your)|told me (about you|to call)|sent me (to|your)|gave me your (number|name)|referral from|heard about you from)\b/i;
const DIRECTORY = /\b(?:found|saw|seen|heard|searched|looked|read)\b.*?\b(Google|Yelp|Facebook|Nextdoor|Angi|Angie's List|Thumbtack|HomeAdvisor|Home Advisor|Instagram|BBB)\b/i;

/** The caller's own sentence about who referred them ("Jim from Westlake Hardware recommended you"). */
export function findReferral(turns: Turn[]): string | null {
  return callerSentences(turns).find((s) => REFERRAL.test(s)) ?? null;
}

/** Where the caller found the business ("found you on Google" → google), when they say so. */
export function findDirectorySource(turns: Turn[]): string | null {
  for (const sentence of callerSentences(turns)) {
    const match = DIRECTORY.exec(sentence);
    if (match) return normalizeSource(match[1]!);
  }
  return null;
}

const ESTIMATE = /\b(estimate|quote|bid|ballpark|how much (would|will|does|is) it (cost|run))\b/i;
const CONSULT = /\b(consultation|consult)\b/i;

/** An estimate or consult request; a plain service call stays absent (the default applies). */
export function findLeadType(text: string): LeadType | null {
  if (mentions(text, CONSULT)) return "consult";
  if (mentions(text, ESTIMATE)) return "estimate";
  return null;
}

const PROMISE = new RegExp(
  [
    "\\b(I'll|I will|I'm|we'll|we will|we're|someone will|somebody will|they'll|they will|he'll|he will|she'll|she will|(?:a|an|our)(?: [\\w-]+){1,3} will)\\b",
    ".*\\b(call|text|reach out|come out|be out|stop by|send|sending|schedule|contact|get back|follow up|be there|page|paging|dispatch|dispatching)\\b",
  ].join(""),
  "i",
);

/**
 * The agent's last commitment to the caller ("I'll have our dispatcher call you back within 15
 * minutes"): the promising sentences of the last agent turn that makes one, so "I'm paging our
 * plumber now. They will call you back within 5 minutes." keeps who "they" are.
 */
export function findPromisedNextStep(turns: Turn[]): string | null {
  const promises = turns
    .filter((t) => t.speaker === "agent")
    .map((t) => sentences(t.text).filter((s) => PROMISE.test(s)))
    .filter((p) => p.length > 0);
  return promises.at(-1)?.join(" ").slice(0, 240) ?? null;
}

const SCHEDULING = /\b(come out|come by|stop by|swing by|schedule|appointment|available|works for|visit|estimate|follow up|call you|call me|out here|take a look|confirm)\b/i;
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * A date stated with a scheduling cue ("come out Thursday", "June 17th works", "tomorrow
 * afternoon"), resolved in the business's time zone; "next Thursday" is ambiguous and skipped.
 */
export function findFollowUpDate(turns: Turn[], now: Date, timezone: string): string | null {
  const local = new TZDate(now.getTime(), timezone);
  const [year, month, day, weekday] = [local.getFullYear(), local.getMonth() + 1, local.getDate(), local.getDay()];
  const plusDays = (n: number) => new Date(Date.UTC(year, month - 1, day + n)).toISOString().slice(0, 10);

  for (const sentence of turns.flatMap((t) => sentences(t.text))) {
    if (!SCHEDULING.test(sentence)) continue;
    const lower = sentence.toLowerCase();
    if (/\btomorrow\b/.test(lower)) return plusDays(1);
    if (/\b(today|this (morning|afternoon|evening))\b/.test(lower)) return plusDays(0);
    const named = /\b(?<!next |last )(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(lower);
    if (named) return plusDays(((WEEKDAYS.indexOf(named[1]!) - weekday + 7) % 7) || 7);
    const spelled = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?\b/.exec(lower);
    const numeric = /\b(\d{1,2})\/(\d{1,2})\b/.exec(lower);
    const [m, d] = spelled ? [MONTH_NAMES.indexOf(spelled[1]!) + 1, Number(spelled[2])] : numeric ? [Number(numeric[1]), Number(numeric[2])] : [0, 0];
    if (m) {
      // A month and day without a year mean the next such date.
      const thisYear = isoDateOf(year, m, d);
      const today = plusDays(0);
      if (thisYear) return thisYear >= today ? thisYear : isoDateOf(year + 1, m, d);
    }
  }
  return null;
}

/** The provider's summary, else the caller's first words about the problem, kept short. */
export function summarize(summary: string | null, turns: Turn[]): string | null {
  if (summary?.trim()) return summary.trim().slice(0, 500);
  const said = callerSentences(turns).filter((s) => s.split(/\s+/).length >= 5);
  const aboutProblem = said.filter((s) => [PROBLEM, SAFETY, ACTIVE_LOSS, ...TRADES.map(([, p]) => p)].some((p) => p.test(s)));
  const chosen = (aboutProblem.length ? aboutProblem : said).slice(0, 2);
  if (!chosen.length) return null;
  const notes = chosen.join(" ");
  return notes.length > 280 ? `${notes.slice(0, 279)}…` : notes;
}

/** The offline extractor (name "heuristic"): patterns over transcript, summary and caller ID. */
export function heuristicExtractor(): Extractor {
  return {
    name: "heuristic",
    async extract(input: ExtractionInput): Promise<ExtractedFields> {
      const turns = input.transcript ? splitTurns(input.transcript) : [];
      const callerText = [...callerSentences(turns), input.summary ?? ""].join("\n");
      const fields: ExtractedFields = {};
      const set = <K extends keyof ExtractedFields>(key: K, value: ExtractedFields[K] | null | undefined) => {
        if (value !== null && value !== undefined) fields[key] = value;
      };

      set("phone", findCallbackPhone(turns, input.callerPhone));
      set("fullName", findName(turns));
      const address = findAddress(callerSentences(turns).join(" ")) ?? (input.summary ? findAddress(input.summary) : null);
      set("serviceAddress", address?.serviceAddress);
      set("market", address?.market ?? findMarket(turns));
      const serviceType = findServiceType(callerText, input.serviceTypes);
      set("serviceType", serviceType);
      set("urgency", findUrgency(callerText, serviceType !== null));
      const referral = findReferral(turns);
      set("source", referral ? "referral" : findDirectorySource(turns));
      set("referralContext", referral);
      set("leadType", findLeadType(callerText));
      set("summaryNotes", summarize(input.summary, turns));
      set("promisedNextStep", findPromisedNextStep(turns));
      set("followUpDate", findFollowUpDate(turns, input.now, input.timezone));
      return fields;
    },
  };
}
