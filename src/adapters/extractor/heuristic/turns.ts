/** One speaker's turn of a transcript. */
export interface Turn {
  speaker: "agent" | "caller";
  text: string;
}

// Anchored at the line start, so each is tried once per line, never at every position.
const AGENT_LABEL = /^\s*(ai|agent|assistant|bot|robot|receptionist|operator|dispatcher|dispatch|csr|representative|rep)\s*:\s*/i;
const CALLER_LABEL = /^\s*(user|customer|caller|human|client)\s*:\s*/i;

/** A person's name as a label ("Tasha: …", "Mike R.: …"), as some receptionists' tools write turns. */
const NAMED_LABEL = /^\s*(\p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*)?)\s*:\s+/u;
/** Line starts that look like a label and are not a speaker. */
const NOT_A_SPEAKER = new Set(["note", "notes", "address", "phone", "name", "summary", "transcript", "time", "date", "re", "ps", "subject", "email", "ok", "okay", "yes", "no", "so", "well"]);

/** A known label after a sentence's end on the same line: a transcript written as one line of turns. */
const INLINE_TURN =
  /(?<=[.!?])[ \t]+(?=(?:AI|Agent|Assistant|Bot|Receptionist|Operator|Dispatcher|User|Customer|Caller)[ \t]*:[ \t])/g;

type Label = { speaker: Turn["speaker"] } | { name: string } | null;

function labelOf(line: string): { label: Label; text: string } {
  if (AGENT_LABEL.test(line)) return { label: { speaker: "agent" }, text: line.replace(AGENT_LABEL, "").trim() };
  if (CALLER_LABEL.test(line)) return { label: { speaker: "caller" }, text: line.replace(CALLER_LABEL, "").trim() };
  const named = NAMED_LABEL.exec(line);
  if (named && !NOT_A_SPEAKER.has(named[1]!.toLowerCase())) return { label: { name: named[1]! }, text: line.slice(named[0].length).trim() };
  return { label: null, text: line.trim() };
}

/**
 * Turns of a transcript as Vapi ("AI:/User:"), Retell ("Agent:/User:"), Bland ("assistant:/
 * user:") and people ("Receptionist:", "Operator:", "Dispatcher:", "CSR:" / "Caller:",
 * "Customer:") write them. A person's name as a label is the other side of the known one
 * ("Tasha:" beside "Caller:" is the agent); with names alone, the first to speak is the agent,
 * who answers the phone (one name alone is a caller's message). Turns on one line ("AI: Hi.
 * User: Hello.") are split. Unlabelled text belongs to the turn before it, or to the caller.
 */
export function splitTurns(transcript: string): Turn[] {
  const lines = transcript
    .replace(INLINE_TURN, "\n")
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .map(labelOf);
  const known = new Set(lines.flatMap(({ label }) => (label && "speaker" in label ? [label.speaker] : [])));
  const names = [...new Set(lines.flatMap(({ label }) => (label && "name" in label ? [label.name] : [])))];
  const speakerOfName = (name: string): Turn["speaker"] => {
    if (known.has("caller") && !known.has("agent")) return "agent";
    if (known.has("agent") && !known.has("caller")) return "caller";
    return names.length > 1 && name === names[0] ? "agent" : "caller";
  };
  const turns: Turn[] = [];
  for (const { label, text } of lines) {
    const speaker = label === null ? null : "speaker" in label ? label.speaker : speakerOfName(label.name);
    const last = turns.at(-1);
    if (speaker) turns.push({ speaker, text });
    else if (last) last.text += ` ${text}`;
    else turns.push({ speaker: "caller", text });
  }
  return turns;
}

const DIGIT_WORDS = "zero|oh|one|two|three|four|five|six|seven|eight|nine";
/**
 * After . ! or ? (not after a title: "Dr. Anand Rao"), or at a dash between clauses ("… their
 * water heater - I'm Chloe Baxter, by the way - and our toilet …"), but never inside a number
 * said with dashes ("five - five - five"). A dash is tried only where a run of spaces begins, so a
 * long run of spaces is read once, not once per space.
 */
const SENTENCE_END = new RegExp(
  `(?<=[.!?])(?<!\\b(?:Dr|Mr|Mrs|Ms|St|Jr|Sr)\\.)\\s+|(?<!\\s|\\d|\\b(?:${DIGIT_WORDS}))\\s+[-–—]+\\s+(?!\\d|(?:${DIGIT_WORDS})\\b)`,
  "i",
);

/** Sentences of a text (see SENTENCE_END). */
export function sentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The caller's sentences, in order: what the customer said, not what the agent read back. */
export const callerSentences = (turns: Turn[]) => turns.filter((t) => t.speaker === "caller").flatMap((t) => sentences(t.text));
