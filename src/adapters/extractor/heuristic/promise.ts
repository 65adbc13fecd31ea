import { sentences, type Turn } from "./turns.ts";

// Who promises, then (anywhere after) what they will do. Two patterns, not one with `.*` between
// them: that one ran to the end of the sentence and back from every "I'll", quadratic in a
// sentence of many promises of nothing. The words before "will" are matched lazily, so the
// first promiser found is also the one that ends first and leaves the most room for the action.
const PROMISER = /\b(?:I'll|I will|I'm|we'll|we will|we're|someone will|somebody will|they'll|they will|he'll|he will|she'll|she will|(?:a|an|our|the|your)(?: [\w-]+){1,4}? will)\b/i;
const ACTION = /\b(?:call|text|e-?mail|reach out|come out|be out|stop by|send|sending|schedule|contact|get back|follow up|be there|page|paging|dispatch|dispatching)\b/i;

const promises = (sentence: string) => {
  const who = PROMISER.exec(sentence);
  return who !== null && ACTION.test(sentence.slice(who.index + who[0].length));
};

/**
 * The agent's last commitment to the caller ("I'll have our dispatcher call you back within 15
 * minutes"): the promising sentences of the last agent turn that makes one, so "I'm paging our
 * plumber now. They will call you back within 5 minutes." keeps who "they" are.
 */
export function findPromisedNextStep(turns: Turn[]): string | null {
  const made = turns
    .filter((t) => t.speaker === "agent")
    .map((t) => sentences(t.text).filter(promises))
    .filter((p) => p.length > 0);
  return made.at(-1)?.join(" ").slice(0, 240) ?? null;
}
