import { gsm7Length, toGsm7, TWO_SEGMENTS } from "./gsm7.ts";
import { truncateWords } from "./sms-fit.ts";

/** What the end-of-day digest says: which business, and the codes of the leads to review. */
export interface DigestTextInput {
  businessName: string;
  /** Lead codes, most pressing first; as many as fit are listed. */
  codes: number[];
}

/** The longest business name the digest spends room on; the codes matter more. */
const MAX_NAME = 40;

/**
 * The end-of-day review SMS (SOP "End of day"): how many open leads have no recorded next
 * action, and their codes, in at most two GSM-7 segments. When the codes do not all fit, the
 * first ones are listed and the rest counted ("+12 more"), so nothing is silently dropped.
 */
export function digestText({ businessName, codes }: DigestTextInput): string {
  const name = truncateWords(toGsm7(businessName), MAX_NAME) || toGsm7(businessName).slice(0, MAX_NAME);
  const n = codes.length;
  if (n === 0) return `${name} end-of-day review: every open lead has a next action. Nothing to review.`;
  const compose = (listed: number) => {
    const more = n - listed;
    const list = codes.slice(0, listed).join(", ") + (more > 0 ? `${listed > 0 ? " " : ""}+${more} more` : "");
    return (
      `${name} end-of-day review: ${n} open lead${n === 1 ? "" : "s"} with no next action: ${list}. ` +
      `Give each an owner and a due next step before close.`
    );
  };
  // Longest list that fits: fewer codes only ever shorten the text, so search down. Each code
  // takes at least three characters (", 7"), so no more than a hundred can ever fit.
  for (let listed = Math.min(n, 110); listed >= 0; listed--) {
    const text = compose(listed);
    if (gsm7Length(text) <= TWO_SEGMENTS) return text;
  }
  return compose(0);
}
