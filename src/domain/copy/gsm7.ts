/**
 * The GSM-7 alphabet, and what a text costs in SMS segments. The one place that knows it: one
 * non-GSM character (a curly quote, an accent GSM lacks, an emoji) switches the whole message
 * to UCS-2, where a segment holds 70 characters instead of 160.
 */

// GSM 03.38 basic set (one septet each) and its extension table (two: escape + char). The form
// feed is in the extension table too.
const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const EXTENSION = "^{}\\[~]|€\f";

/** Two segments of concatenated GSM-7 SMS (2 × 153 septets). */
export const TWO_SEGMENTS = 306;

const REPLACEMENTS: Record<string, string> = {
  "\u2018": "'", "\u2019": "'", "\u201C": '"', "\u201D": '"', "\u2013": "-", "\u2014": "-",
  "\u2026": "...", "\u00A0": " ", "\u202F": " ", "\u2022": "-", "\u00B7": "-",
};

const inAlphabet = (ch: string) => BASIC.includes(ch) || EXTENSION.includes(ch);

/** True when the text can be sent in GSM-7 (no UCS-2 fallback). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!inAlphabet(ch)) return false;
  return true;
}

/** Rewrites text into GSM-7: typographic punctuation to ASCII, accents dropped where GSM lacks them. */
export function toGsm7(text: string): string {
  return respell(text, "?");
}

/**
 * Rewrites what has a GSM-7 spelling (curly quotes, accents) and keeps what has none (an emoji):
 * for a person's own words echoed back, where the emoji is worth a UCS-2 segment.
 */
export function gsm7Spelling(text: string): string {
  return respell(text, null);
}

function respell(text: string, unknown: string | null): string {
  let out = "";
  for (const ch of text) {
    if (inAlphabet(ch)) out += ch;
    else if (REPLACEMENTS[ch]) out += REPLACEMENTS[ch];
    else {
      const stripped = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      out += [...stripped].every((c) => BASIC.includes(c)) ? stripped : (unknown ?? ch);
    }
  }
  return out;
}

/** Length in GSM-7 septets: extension characters take two. */
export function gsm7Length(text: string): number {
  let n = 0;
  for (const ch of text) n += EXTENSION.includes(ch) ? 2 : 1;
  return n;
}

/** How many SMS segments the text costs (GSM-7: 160, then 153 each; UCS-2: 70, then 67). */
export function smsSegments(text: string): number {
  if (isGsm7(text)) {
    const septets = gsm7Length(text);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  // UCS-2 counts UTF-16 code units: an emoji takes two.
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}
