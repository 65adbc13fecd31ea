/** One speaker's turn of a transcript. */
export interface Turn {
  speaker: "agent" | "caller";
  text: string;
}

// Anchored at the line start, so each is tried once per line, never at every position.
const AGENT_LABEL = /^\s*(ai|agent|assistant|bot|robot|receptionist|operator|dispatcher|dispatch|csr|representative|rep)\s*:\s*/i;
const CALLER_LABEL = /^\s*(user|customer|caller|human|client)\s*:\s*/i;

/**
 * Turns of a transcript as Vapi ("AI:/User:"), Retell ("Agent:/User:"), Bland ("assistant:/
 * user:") and people ("Receptionist:", "Operator:", "Dispatcher:", "CSR:" / "Caller:", "Customer:") write them. Unlabelled text is all the caller's.
 */
export function splitTurns(transcript: string): Turn[] {
  const turns: Turn[] = [];
  for (const line of transcript.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const speaker = AGENT_LABEL.test(line) ? "agent" : CALLER_LABEL.test(line) ? "caller" : null;
    const text = line.replace(AGENT_LABEL, "").replace(CALLER_LABEL, "").trim();
    const last = turns.at(-1);
    if (speaker) turns.push({ speaker, text });
    else if (last) last.text += ` ${text}`;
    else turns.push({ speaker: "caller", text });
  }
  return turns;
}

/** Sentences of a text, split after . ! or ? but not after a title ("Dr. Anand Rao"). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])(?<!\b(?:Dr|Mr|Mrs|Ms|St|Jr|Sr)\.)\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The caller's sentences, in order: what the customer said, not what the agent read back. */
export const callerSentences = (turns: Turn[]) => turns.filter((t) => t.speaker === "caller").flatMap((t) => sentences(t.text));
