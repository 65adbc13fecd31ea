/**
 * Fitting free text into SMS segments: the GSM-7 alphabet, how many segments a text costs, and
 * clipping a slot so a message stays within its segments.
 */

// GSM 03.38 basic set (1 unit each) and its extension table (2 units: escape + char). Anything
// else switches the whole message to UCS-2, where a segment holds 70 characters, not 160.
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "^{}\\[~]|€\f";

/** True when the text can be sent in GSM-7 (no UCS-2 fallback). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM7_BASIC.includes(ch) && !GSM7_EXTENSION.includes(ch)) return false;
  return true;
}

/** How many SMS segments the text costs (GSM-7: 160, then 153 each; UCS-2: 70, then 67). */
export function smsSegments(text: string): number {
  if (isGsm7(text)) {
    let units = 0;
    for (const ch of text) units += GSM7_EXTENSION.includes(ch) ? 2 : 1;
    return units <= 160 ? 1 : Math.ceil(units / 153);
  }
  // UCS-2 counts UTF-16 code units: an emoji takes two.
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
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
