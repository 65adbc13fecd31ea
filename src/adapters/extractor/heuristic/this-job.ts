/*
 * Which of the caller's sentences are about the job they are calling for: not a referral's
 * ("you fixed her sewer line last spring"), and not the business's earlier work ("you were out
 * here in March for the water heater"), unless the caller says the old problem is back ("it's
 * leaking again").
 */

const PAST_WORK =
  /\b(?:you(?: guys| all)? (?:were (?:out|here)|came (?:out|by)|did|fixed|installed|replaced|put in|serviced)|last time you)\b/i;
const RECURS = /\b(?:again|same|still|back)\b/i;

/** The caller's sentences about this job, as one text (with the provider's summary, if any). */
export function aboutThisJob(said: string[], referral: string | null, summary: string | null): string {
  const recurs = said.some((s) => RECURS.test(s) && !PAST_WORK.test(s));
  const job = said.filter((s) => s !== referral && (recurs || !PAST_WORK.test(s)));
  return [...job, summary ?? ""].join("\n");
}
