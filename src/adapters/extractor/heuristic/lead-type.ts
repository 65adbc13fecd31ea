import type { LeadType } from "../../../domain/lead.ts";
import { mentions } from "./mentions.ts";

const ESTIMATE = /\b(estimate|quote|bid|ballpark|how much (would|will|does|is) it (cost|run))\b/i;
const CONSULT = /\b(consultation|consult)\b/i;

/** An estimate or consult request; a plain service call stays absent (the default applies). */
export function findLeadType(text: string): LeadType | null {
  if (mentions(text, CONSULT)) return "consult";
  if (mentions(text, ESTIMATE)) return "estimate";
  return null;
}
