import type { LeadType } from "../../../domain/lead.ts";
import { mentions } from "./mentions.ts";
import type { Turn } from "./turns.ts";

// "what would something like that cost": the gap is bounded, so each "what" reads at most 40 characters.
const ESTIMATE = /\b(estimate|quote|bid|ballpark|pricing|(?:a |the )?price (?:for|on)|(?:how much|what)\b[^.?!]{0,40}?\bcosts?)\b/i;
const CONSULT = /\b(consultation|consult)\b/i;
/** The agent offers an estimate or a consultation ("Would you like an estimate?"). */
const OFFER = /\b(?:would you like|do you want|want us to|shall we|should we|can we)\b[^.?!]{0,40}?\b(estimate|quote|consultation)\b/i;
const YES = /^\s*(?:yes|yeah|yep|yup|sure|please|definitely|that would be (?:great|good)|sounds good|s[ií])\b/i;
/** The agent sets one up ("We can set up a consultation. Would Friday work?"), unless the caller declines. */
const SETS_UP = /\b(?:set (?:you )?up|schedule|book)\b[^.?!]{0,20}?\b(estimate|quote|consultation)\b/i;
const NO = /^\s*(?:no|nah|not|don['’]t|I don['’]t)\b/i;

/**
 * An estimate or consult request, in the caller's words or as the caller's yes to the agent's
 * offer of one; a plain service call stays absent (the default applies).
 */
export function findLeadType(text: string, turns: Turn[] = []): LeadType | null {
  if (mentions(text, CONSULT)) return "consult";
  if (mentions(text, ESTIMATE)) return "estimate";
  for (let i = 1; i < turns.length; i++) {
    const [offer, answer] = [turns[i - 1]!, turns[i]!];
    if (offer.speaker !== "agent" || answer.speaker !== "caller" || !YES.test(answer.text)) continue;
    const offered = OFFER.exec(offer.text)?.[1]?.toLowerCase();
    if (offered) return offered === "consultation" ? "consult" : "estimate";
  }
  for (let i = 1; i < turns.length; i++) {
    const [offer, answer] = [turns[i - 1]!, turns[i]!];
    if (offer.speaker !== "agent" || answer.speaker !== "caller" || NO.test(answer.text)) continue;
    const booked = SETS_UP.exec(offer.text)?.[1]?.toLowerCase();
    if (booked) return booked === "consultation" ? "consult" : "estimate";
  }
  return null;
}
