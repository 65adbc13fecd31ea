import { normalizeSource } from "../../../domain/lead.ts";
import { callerSentences, type Turn } from "./turns.ts";

const REFERRAL =
  /\b(referred (me|us)|recommended (you|your)|told me (about you|to call)|sent me (to|your)|gave (me|us) your (number|name|card|info)|referral from|heard about you from|said to call|suggested (I|we) (call|try)|suggested (you|your)|told (me|us) to (call|try)|said (I|we) should call)\b/i;
/** Someone else's experience of us ("used you", "had his roof done by you"): a referral only when that someone is named. */
const USED_US = /\b((used|uses|hired) you|done by you|said (you|your)( guys)? (were|are|do|did|was))\b/i;
const SOMEONE_ELSE =
  /\b(my|our|a) ([\w-]+ )?(neighbou?rs?|friends?|sister|brother|[\w]+-in-law|cousins?|coworkers?|co-workers?|colleagues?|boss|mom|mother|dad|father|aunt|uncle|son|daughter|plumber|realtor|agent|landlord|contractor|pastor)\b/i;
// Two patterns, not one with `.*?` between them: that one rescanned the rest of the sentence from
// every "saw" or "found" and was quadratic in a sentence that never names a directory.
const FOUND_VIA = /\b(?:found|saw|seen|heard|searched|looked|read)\b/i;
const DIRECTORIES = "Google|Yelp|Facebook|Nextdoor|Angi|Angie's List|Thumbtack|HomeAdvisor|Home Advisor|Instagram|BBB";
const DIRECTORY = new RegExp(`\\b(${DIRECTORIES})\\b`, "i");
/** "I googled water heater repair and you came up." */
const GOOGLED = /\bgoogl(?:ed|ing)\b/i;
/** "somebody on Nextdoor said …", "a post from Facebook": where the caller heard of us. */
const ON_DIRECTORY = new RegExp(`\\b(?:on|from|via|through)\\s+(${DIRECTORIES})\\b`, "i");

/**
 * The caller's own sentence about who referred them ("Jim from Westlake Hardware recommended
 * you", "my neighbour used you for his panel"); a sentence naming a directory ("somebody on
 * Nextdoor said you guys do…") is a directory source, not a person's referral.
 */
export function findReferral(turns: Turn[]): string | null {
  const referral = (s: string) => REFERRAL.test(s) || (USED_US.test(s) && SOMEONE_ELSE.test(s));
  return callerSentences(turns).find((s) => referral(s) && !DIRECTORY.test(s)) ?? null;
}

/**
 * Where the caller found the business ("found you on Google" → google), when they say so: the
 * first directory named after the sentence's first "found/saw/heard…" (any later verb has
 * fewer directories after it, so the first verb decides).
 */
export function findDirectorySource(turns: Turn[]): string | null {
  for (const sentence of callerSentences(turns)) {
    // "People in our neighborhood Facebook group recommended you": the directory is the source.
    const recommended = (REFERRAL.test(sentence) || USED_US.test(sentence)) && DIRECTORY.exec(sentence);
    if (recommended) return normalizeSource(recommended[1]!);
    const verb = FOUND_VIA.exec(sentence);
    const directory = (verb && DIRECTORY.exec(sentence.slice(verb.index + verb[0].length))) ?? ON_DIRECTORY.exec(sentence);
    if (directory) return normalizeSource(directory[1]!);
    if (GOOGLED.test(sentence)) return "google";
  }
  return null;
}
