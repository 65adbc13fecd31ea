import type { Urgency } from "../../../domain/lead.ts";
import { mentions } from "./mentions.ts";

/** A safety hazard: gas, sparks, smoke, no heat. */
export const SAFETY = /\b(gas (smell|leak)|smell(s|ing)? (like )?gas|carbon monoxide|spark(s|ing)|smoke|smoking|burning smell|on fire|no heat)\b/i;
/** Water or sewage doing damage right now. */
export const ACTIVE_LOSS =
  /\b(flood(s|ing|ed)?|(burst|broken|busted) (water )?(pipe|line)|(pipe|line) (burst|broke)|water (is )?(everywhere|pouring|gushing|spraying|coming through)|sewage|sewer (is )?backing up|backing up into|through the ceiling)\b/i;
const SAYS_EMERGENCY = /\b(emergency|urgent)\b/i;
const NO_HURRY =
  /\b(no rush|no hurry|no big rush|not urgent|not an emergency|at your convenience|whenever (works|is (convenient|fine|good)|you (can|get a chance|have time)))\b/i;
/** Any described problem that needs service. */
export const PROBLEM =
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
