/** What a team member's text asks for (CONTRACT §5, §9). */
export type SmsCommand =
  | { kind: "accept"; code: number | null }
  | { kind: "reject"; code: number | null; reason: string | null }
  /** NEXT: what the owner does next and when, still as typed (the time is read with the business's zone). */
  | { kind: "next"; code: number | null; text: string | null }
  | { kind: "note"; code: number | null; text: string | null }
  /** DONE or CLOSE: the outcome (first word) and any words after it. */
  | { kind: "done"; code: number | null; outcome: string | null; words: string | null }
  /** REASSIGN: a member id or first name, then the reason. */
  | { kind: "reassign"; code: number | null; target: string | null; reason: string | null }
  | { kind: "away" }
  | { kind: "back" }
  | { kind: "who" }
  | { kind: "list" }
  | { kind: "help" }
  | { kind: "stop" }
  | { kind: "start" }
  | { kind: "unknown"; text: string };

/**
 * Twilio's default long-code keywords. Twilio acts on them only when they are the whole
 * message ("STOP" blocks, "stop calling me" does not), so we match them the same way: a
 * member who opted out at Twilio must also be recorded as opted out here, and nobody else.
 */
const STOP_WORDS = new Set(["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "revoke"]);
const START_WORDS = new Set(["start", "unstop", "yes"]);
const HELP_WORDS = new Set(["help", "info"]);

// Punctuation (any script: "-", "—", ":", "#", "."…) and spaces people put around words.
// Each pattern is anchored at the start and matches in one pass (none can hand a run of
// characters back and forth between two quantifiers before failing): every customer's text
// is read here too, for STOP and START.
const LEADING_NOISE = /^[\s\p{P}]+/u;
const ONLY_NOISE = /^[\s\p{P}]*$/u;

// The verb is the first run of letters; anything that is not a letter ends it ("accept1042").
const VERB = /^(\p{L}+)(.*)$/su;

// A lead code right after the verb: optional "lead" and "#", then 3–6 digits not followed by more.
// After "lead" the noise class already takes "#" and spaces; a separate `#?\s*` there made
// every split of a run of spaces a new try (quadratic in "accept lead" + spaces).
const CODE = /^(?:lead\b[\s\p{P}]*|#?\s*)(\d{3,6})(?!\d)(.*)$/isu;
// Digits in that position that are not a valid code: a typo we must not guess around.
const STRAY_NUMBER = /^(?:lead\b[\s\p{P}]*|#?\s*)\d/iu;

// Digits that are the start of a time or a date, not a lead code: "9am", "9 pm", "10:30", "12/3",
// "3.15", "3rd", "14h". NEXT reads them as the due time (CONTRACT §9).
const TIME_OR_DATE = /^\d+(?:\s*(?:a\.?m\b\.?|p\.?m\b\.?|a\b|p\b|h\b|o'?clock\b)|[:/.-]\d|(?:st|nd|rd|th)\b)/iu;

/** The lead code at the start of `rest`, if any; `stray` for digits there that are no code (a typo). */
function leadCode(rest: string): { code: number | null; rest: string } | "stray" {
  const bare = rest.replace(/^(?:lead\b[\s\p{P}]*|#\s*)/iu, "");
  if (TIME_OR_DATE.test(bare)) return { code: null, rest };
  const code = CODE.exec(rest);
  if (code) return { code: Number(code[1]), rest: code[2]! };
  if (STRAY_NUMBER.test(rest)) return "stray";
  return { code: null, rest };
}

/** Reads an owner's SMS; case- and punctuation-insensitive, keeps the reason's own wording. */
export function parseSmsCommand(text: string): SmsCommand {
  const trimmed = text.trim();
  const unknown: SmsCommand = { kind: "unknown", text: trimmed };

  if (/^\?+$/.test(trimmed)) return { kind: "help" };

  const verbMatch = VERB.exec(trimmed.replace(LEADING_NOISE, ""));
  if (!verbMatch) return unknown;
  const verb = verbMatch[1]!.toLowerCase();
  const rest = verbMatch[2]!.replace(LEADING_NOISE, "");
  // Not rest.replace(/[\s\p{P}]+$/u, ""): unanchored at the start, that retried the run of
  // noise from each of its characters (quadratic in "stop a . . . a").
  const single = ONLY_NOISE.test(rest);

  if (single && STOP_WORDS.has(verb)) return { kind: "stop" };
  if (single && START_WORDS.has(verb)) return { kind: "start" };
  if (HELP_WORDS.has(verb)) return { kind: "help" };
  if (verb === "list") return { kind: "list" };

  if (verb === "accept") {
    const code = CODE.exec(rest);
    if (code) return { kind: "accept", code: Number(code[1]) };
    // "ACCEPT 12" or "accept 10421234": the member meant a specific lead we cannot name, and
    // accepting the one that happens to be waiting could take the wrong job.
    if (STRAY_NUMBER.test(rest)) return unknown;
    // Anything else after a bare ACCEPT ("Accept, on my way") is chatter.
    return { kind: "accept", code: null };
  }

  if (verb === "reject") {
    const code = CODE.exec(rest);
    if (code) return { kind: "reject", code: Number(code[1]), reason: reasonFrom(code[2]!) };
    if (STRAY_NUMBER.test(rest)) return unknown;
    return { kind: "reject", code: null, reason: reasonFrom(rest) };
  }

  if (verb === "away" || verb === "back" || verb === "who") return { kind: verb };

  if (verb === "next" || verb === "note" || verb === "notes" || verb === "done" || verb === "close" || verb === "closed" || verb === "reassign") {
    const read = leadCode(rest);
    // "NEXT 12 call back": the member meant a lead we cannot name; guessing could move the wrong job.
    if (read === "stray") return unknown;
    const { code } = read;
    const words = reasonFrom(read.rest);
    if (verb === "next") return { kind: "next", code, text: words };
    if (verb === "note" || verb === "notes") return { kind: "note", code, text: words };
    const [first = null, ...others] = words ? words.split(/\s+/) : [];
    const tail = others.length ? others.join(" ") : null;
    if (verb === "reassign") return { kind: "reassign", code, target: first && first.replace(/[\p{P}]+$/u, ""), reason: tail && reasonFrom(tail) };
    return { kind: "done", code, outcome: first && first.replace(/[\p{P}]+$/u, "").toLowerCase(), words: tail && reasonFrom(tail) };
  }

  return unknown;
}

/** The member's words with the separator they typed ("- ", ": ") taken off; null when empty. */
function reasonFrom(text: string): string | null {
  const reason = text.replace(LEADING_NOISE, "").trim();
  return reason === "" ? null : reason;
}
