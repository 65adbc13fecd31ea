import type { Urgency } from "../../../domain/lead.ts";
import { mentions } from "./mentions.ts";

/** A safety hazard: gas, sparks, smoke, a burning or melting smell, no heat. */
export const SAFETY =
  /\b(gas (smell|leak)|smell(s|ing)? (like |of )?(gas|burning|melting|smoke|plastic)|smell(s|ing)? something (burning|electrical)|(water|dripping|leaking)\b[^.!?]{0,40}\b(light fixture|outlet|electrical panel|breaker box)|electrical smell|carbon monoxide|co (detector|alarm)|spark(s|ed|ing)?|smoke|smoking|burning smell|melting|on fire|hot to the touch|no heat)\b/i;
/** Water or sewage doing damage right now. */
export const ACTIVE_LOSS =
  /\b(flood(s|ing|ed)?|overflow(s|ing|ed)?|(burst|broken|busted) (water )?(pipe|line)|(pipe|line) (froze and )?(burst|broke)|water(['’]s| is)? (everywhere|all over|pouring|gushing|spraying|coming through|coming in)|(rain|water)( is)? (pouring|coming|dripping) (in|through)|sewage|sewer (is )?backing up|backing up into (?:the |our |my )?(?:house|home|basement|tub|bathtub|shower|floor(?! drain)|yard|garage)|through (the|our|my) (\w+ )?ceiling|(getting|is getting|are getting) (soaked|wet|flooded)|(carpet|floor|basement|drywall|ceiling)s? (is |are )?(soaked|soaking wet)|agua por todos lados|(dripping|pouring|leaking|coming) (out of|from) (the|my|our) (\w+ ){0,2}(ceiling|light fixture))\b/i;
/** The heating has failed ("the furnace stopped working", "heat is out", "blowing cold air"). */
const HEATING_FAILED =
  /\b(heat(ing)? (is|went|has gone) out|heat(ing)?\b[^.!?]{0,30}\b(isn['’]t|won['’]t|is not|not) (coming on|working|turning on|kicking on)|heat(er)? (stopped|quit|died)|(furnace|heater|boiler|heat pump) (stopped|quit|died|won['’]t|isn['’]t|is not|went out|is out|is just blowing cold|(is )?blowing cold|not working)|no heat)\b/i;
/** It is freezing, or the home is cold enough to harm someone (55 °F inside or less). */
const FREEZING = /\b(freezing|below (zero|freezing)|single digits|sub-?zero|(?:[0-4]?\d|5[0-5]) degrees (in|inside)|it['’]s (?:[0-4]?\d|5[0-5]) (in here|inside|in the house))\b/i;
const SAYS_EMERGENCY = /\b(emergency|urgent)\b/i;
const NO_HURRY =
  /\b(no rush|no hurry|no big rush|no real (?:rush|hurry)|not in (?:a|any) (?:big )?(?:hurry|rush)|not urgent|not an emergency|no urgency|at your convenience|whenever (works|is (convenient|fine|good)|you (can|get a chance|have time)))\b/i;
/** Any described problem that needs service. */
export const PROBLEM =
  /\b(leak(s|ing)?|drip(s|ping)?|broken|broke|not working|stopped working|won't|isn't working|clogged|backed up|jammed|tripping|running|blowing warm|no hot water|making (a )?noise|replace|replacing|install)\b/i;

/**
 * Urgency from what the caller said, by the SOP's meanings: a safety hazard (gas, sparks, a
 * burning smell, no heat, or failed heating in freezing weather) is an emergency;
 * water actively doing damage (flooding, burst pipe, sewage) is active loss; "no rush" is low;
 * any other described problem is standard. Nothing described: absent.
 */
export function findUrgency(text: string, problemDescribed: boolean): Urgency | null {
  if (mentions(text, SAFETY)) return "emergency";
  if (mentions(text, HEATING_FAILED) && mentions(text, FREEZING)) return "emergency";
  if (mentions(text, ACTIVE_LOSS)) return "active_loss";
  if (mentions(text, SAYS_EMERGENCY)) return "emergency";
  if (NO_HURRY.test(text)) return "low";
  if (problemDescribed || mentions(text, PROBLEM)) return "standard";
  return null;
}
