// SMS bodies are kept in the GSM-7 alphabet: one non-GSM character (a curly quote, an accent)
// switches the whole message to UCS-2 and halves what two segments can hold.
const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const EXTENDED = "^{}\\[~]|€";

/** Two segments of concatenated GSM-7 SMS. */
export const TWO_SEGMENTS = 306;

const REPLACEMENTS: Record<string, string> = {
  "\u2018": "'", "\u2019": "'", "\u201C": '"', "\u201D": '"', "\u2013": "-", "\u2014": "-",
  "\u2026": "...", "\u00A0": " ", "\u2022": "-", "\u00B7": "-",
};

/** Rewrites text into GSM-7: typographic punctuation to ASCII, accents dropped where GSM lacks them. */
export function toGsm7(text: string): string {
  let out = "";
  for (const ch of text) {
    if (BASIC.includes(ch) || EXTENDED.includes(ch)) out += ch;
    else if (REPLACEMENTS[ch]) out += REPLACEMENTS[ch];
    else {
      const stripped = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      out += [...stripped].every((c) => BASIC.includes(c)) ? stripped : "?";
    }
  }
  return out;
}

/** Length in GSM-7 septets: extension characters take two. */
export function gsm7Length(text: string): number {
  let n = 0;
  for (const ch of text) n += EXTENDED.includes(ch) ? 2 : 1;
  return n;
}

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
