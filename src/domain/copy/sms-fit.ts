/** Fitting free text into SMS segments: clipping a slot so a message stays within its segments. */
import { gsm7Length, smsSegments } from "./gsm7.ts";

/** Shortens text to at most `max` septets at a word boundary, marking the cut with "...". */
export function truncateWords(text: string, max: number): string {
  if (gsm7Length(text) <= max) return text;
  if (max < 4) return "";
  const words = text.split(/\s+/);
  let out = "";
  for (const word of words) {
    const next = out ? `${out} ${word}` : word;
    if (gsm7Length(next) + 3 > max) break;
    out = next;
  }
  return out ? `${out.replace(/[\s,.;:-]+$/, "")}...` : "";
}

/** Shortens free text to `max` characters on a word boundary, marked with "..." (GSM-7 safe). */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  if (max <= 3) return clean.slice(0, Math.max(0, max));
  // Never leave half of an emoji (a lone UTF-16 surrogate) at the cut.
  const cut = clean.slice(0, max - 3).replace(/[\uD800-\uDBFF]$/, "");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s\p{P}]+$/u, "")}...`;
}

/** Fills `slot` in `template` with as much of `text` as keeps the message within `segments`. */
export function fitIn(template: (slot: string) => string, text: string, segments = 1): string {
  let max = 1600;
  let message = template(clip(text, max));
  // Shrink until it fits; a UCS-2 slot (emoji, curly quotes) gets less room than a GSM-7 one.
  while (smsSegments(message) > segments && max > 10) {
    max = Math.min(max, clip(text, max).length) - 5;
    message = template(clip(text, Math.max(max, 10)));
  }
  return message;
}

/** Ends free text as a sentence unless it already ends like one ("...", "?", "!"). */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
