/**
 * How text from another intake joins a lead's notes or transcript. From the same source
 * (`sameSource`: the same call or message processed again) what is already there is not
 * repeated, and a fuller copy (Retell's call_analyzed after call_ended) replaces the shorter
 * one; from another source (another call, another text) it is appended, even word for word.
 */
export function mergedText(existing: string | null, incoming: string | null, separator: string, sameSource: boolean): string | null {
  if (!incoming) return existing;
  if (!existing) return incoming;
  if (sameSource && existing.includes(incoming)) return existing;
  if (sameSource && incoming.includes(existing)) return incoming;
  return `${existing}${separator}${incoming}`;
}
