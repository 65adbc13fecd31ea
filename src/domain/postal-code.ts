/**
 * The postal code of a service address, for routing rules that match `zip` prefixes (CONTRACT §10).
 * Three shapes are read, the last one in the text winning (a street number comes before the code,
 * and a number leading the address is never read as its code):
 * - US ZIP and ZIP+4: `78701`, `78701-1234` (read as `787011234`);
 * - Canadian postcodes: `K1A 0B1` or `k1a0b1` (read as `K1A0B1`);
 * - UK postcodes: `SW1A 1AA`, `M1 1AE`, `EC1A 1BB` (read as `SW1A1AA`).
 * Codes are returned canonical, uppercase with no spaces or hyphens, so a prefix compares plainly.
 */

const SHAPES = [
  /\b\d{5}(?:-\d{4})?\b/g, // US
  /\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b/gi, // Canada
  /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/gi, // UK
];

/** A postal code or prefix as compared: uppercase, spaces and hyphens dropped. */
export function canonicalPostalCode(text: string): string {
  return text.replace(/[\s-]+/g, "").toUpperCase();
}

/** The postal code in an address, canonical, or null when it has none of the shapes read. */
export function postalCodeOf(address: string | null | undefined): string | null {
  if (!address) return null;
  let best: { index: number; code: string } | null = null;
  for (const shape of SHAPES) {
    for (const match of address.matchAll(shape)) {
      // A number leading the address is its street number ("10234 Research Blvd"), not a code.
      if (address.slice(0, match.index).trim() === "") continue;
      if (!best || match.index >= best.index) best = { index: match.index, code: canonicalPostalCode(match[0]) };
    }
  }
  return best?.code ?? null;
}

/** What a `zip` rule value may be: letters and digits, with spaces or hyphens between. */
export const POSTAL_PREFIX = /^[A-Za-z0-9]+(?:[ -]?[A-Za-z0-9]+)*$/;
