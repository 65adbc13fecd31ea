import { normalizeSource } from "../../../domain/lead.ts";
import { callerSentences, type Turn } from "./turns.ts";

const REFERRAL =
  /\b(referred (me|us)|recommended (you|your)|told me (about you|to call)|sent me (to|your)|gave me your (number|name)|referral from|heard about you from)\b/i;
// Two patterns, not one with `.*?` between them: that one rescanned the rest of the sentence from
// every "saw" or "found" and was quadratic in a sentence that never names a directory.
const FOUND_VIA = /\b(?:found|saw|seen|heard|searched|looked|read)\b/i;
const DIRECTORY = /\b(Google|Yelp|Facebook|Nextdoor|Angi|Angie's List|Thumbtack|HomeAdvisor|Home Advisor|Instagram|BBB)\b/i;

/** The caller's own sentence about who referred them ("Jim from Westlake Hardware recommended you"). */
export function findReferral(turns: Turn[]): string | null {
  return callerSentences(turns).find((s) => REFERRAL.test(s)) ?? null;
}

/**
 * Where the caller found the business ("found you on Google" → google), when they say so: the
 * first directory named after the sentence's first "found/saw/heard…" (any later verb has
 * fewer directories after it, so the first verb decides).
 */
export function findDirectorySource(turns: Turn[]): string | null {
  for (const sentence of callerSentences(turns)) {
    const verb = FOUND_VIA.exec(sentence);
    const directory = verb && DIRECTORY.exec(sentence.slice(verb.index + verb[0].length));
    if (directory) return normalizeSource(directory[1]!);
  }
  return null;
}
