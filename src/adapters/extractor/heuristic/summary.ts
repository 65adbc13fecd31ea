import { TRADES } from "./service-type.ts";
import { callerSentences, type Turn } from "./turns.ts";
import { ACTIVE_LOSS, PROBLEM, SAFETY } from "./urgency.ts";

const ABOUT_A_PROBLEM = [PROBLEM, SAFETY, ACTIVE_LOSS, ...TRADES.map((trade) => trade.said)];

/** The provider's summary, else the caller's first words about the problem, kept short. */
export function summarize(summary: string | null, turns: Turn[]): string | null {
  if (summary?.trim()) return summary.trim().slice(0, 500);
  const said = callerSentences(turns).filter((s) => s.split(/\s+/).length >= 5);
  const aboutProblem = said.filter((s) => ABOUT_A_PROBLEM.some((p) => p.test(s)));
  const chosen = (aboutProblem.length ? aboutProblem : said).slice(0, 2);
  if (!chosen.length) return null;
  const notes = chosen.join(" ");
  return notes.length > 280 ? `${notes.slice(0, 279)}…` : notes;
}
