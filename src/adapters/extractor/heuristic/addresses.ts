import { callerSentences, type Turn } from "./turns.ts";

// Linear by shape: a STREET attempt starts only at a house number and reads at most a direction
// and four words, each ended by a space; UNIT and CITY_STATE_ZIP are anchored where the street
// ends; LIVES_IN reads one or two words after its cue.
const withLower = (words: string[]) => words.flatMap((w) => [w, w.toLowerCase()]).join("|");
const SUFFIXES = withLower([
  "Street", "Avenue", "Road", "Drive", "Lane", "Boulevard", "Court", "Circle", "Way", "Parkway", "Trail", "Place",
  "Loop", "Cove", "Highway", "Terrace", "Bend", "Pass", "Path", "Run", "Row", "Square",
]);
const ABBREVIATIONS = withLower(["St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Cir", "Pkwy", "Trl", "Pl", "Cv", "Hwy"]);
const STATES = [
  "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida", "Georgia",
  "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
  "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
  "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
  "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
  "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "[A-Z]{2}",
].join("|");
// Street-name words must be capitalised (or ordinals like 38th): "20 years on this street" is
// not an address, "4821 Burnet Road" is.
const STREET = new RegExp(
  `\\b\\d{1,6}\\s+(?:(?:North|South|East|West|N|S|E|W)\\.?\\s+)?(?:(?:\\p{Lu}[\\p{L}'’-]*|\\d+(?:st|nd|rd|th))\\s+){1,4}(?:${SUFFIXES}|${ABBREVIATIONS})\\b`,
  "u",
);
const UNIT = new RegExp(`^,?\\s+(?:${withLower(["Apartment", "Apt", "Unit", "Suite", "Ste"])}|#)\\.?\\s*[A-Za-z0-9-]+`);
const CITY_STATE_ZIP = new RegExp(
  `^(,?\\s+)((?!(?:${STATES})\\b)\\p{Lu}\\p{Ll}+(?:\\s+(?!(?:${STATES})\\b)\\p{Lu}\\p{Ll}+){0,2})?(?:,?\\s+(${STATES})\\b)?(?:,?\\s+(\\d{5}(?:-\\d{4})?)\\b)?`,
  "u",
);

/** A street address the caller gave (number, street, unit, city, state, ZIP) and its city. */
export function findAddress(text: string): { serviceAddress: string; market: string | null } | null {
  const street = STREET.exec(text);
  if (!street) return null;
  let address = street[0];
  let rest = text.slice(street.index + address.length);
  const unit = UNIT.exec(rest);
  if (unit) {
    address += unit[0];
    rest = rest.slice(unit[0].length);
  }
  let market: string | null = null;
  const tail = CITY_STATE_ZIP.exec(rest);
  if (tail) {
    const [whole, separator, city, state, zip] = tail;
    // A capitalised word after the street is only a city when a comma, state or ZIP says so.
    const isCity = city !== undefined && (separator!.includes(",") || state !== undefined || zip !== undefined);
    if (isCity || state || zip) {
      address += whole;
      market = isCity ? city : null;
    }
  }
  return { serviceAddress: address.trim().replace(/[,.]$/, ""), market };
}

// Written without the i flag, which would let \p{Lu} match lowercase words too.
const LIVES_IN = /\b(?:I['’]m|I am|[Ww]e['’]re|[Ww]e are|I live|[Ww]e live|[Ll]ocated|[Ll]ive)\s+(?:over\s+|out\s+|up\s+|down\s+)?in\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)/u;

/** The market (city) from "we're in Pflugerville" / "I live in Round Rock", when no address gave one. */
export function findMarket(turns: Turn[]): string | null {
  for (const sentence of callerSentences(turns)) {
    const match = LIVES_IN.exec(sentence);
    if (match) return match[1]!;
  }
  return null;
}
