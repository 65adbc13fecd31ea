import { callerSentences, sentences, type Turn } from "./turns.ts";

// Linear by shape: a STREET attempt starts only at a house number and reads at most a direction
// and five words, each ended by a space; UNIT, CITY_STATE_ZIP and what follows are anchored
// where the street ends; LIVES_IN reads one or two words after its cue.
const withLower = (words: string[]) => words.flatMap((w) => [w, w.toLowerCase()]).join("|");
const SUFFIXES = withLower([
  "Street", "Avenue", "Road", "Drive", "Lane", "Boulevard", "Court", "Circle", "Way", "Parkway", "Trail", "Place",
  "Loop", "Cove", "Highway", "Terrace", "Bend", "Pass", "Path", "Run", "Row", "Square", "Freeway", "Expressway", "Pike",
  "Alley", "Crossing", "Point", "Ridge", "Hollow",
]);
const ABBREVIATIONS = withLower(["St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Cir", "Pkwy", "Trl", "Pl", "Cv", "Hwy", "Fwy", "Ter"]);
const DIRECTIONS = "North|South|East|West|Northeast|Northwest|Southeast|Southwest|NE|NW|SE|SW|N|S|E|W";
const STATES = [
  "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida", "Georgia",
  "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
  "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
  "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
  "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
  "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "[A-Z]{2}",
].join("|");
/** A word of a street's name: capitalised, or an ordinal (38th); "de"/"la" only between such words. */
const STREET_WORD = `(?:\\p{Lu}[\\p{L}'’-]*|\\d+(?:st|nd|rd|th))`;
const STREET_NAME = `${STREET_WORD}(?:\\s+(?:(?:de|del|la|las|los|of|the)\\s+)?${STREET_WORD}){0,4}`;
const LEADING_DIRECTION = `(?:(?:${DIRECTIONS})\\.?\\s+)?`;
const TRAILING_DIRECTION = `(?:\\s+(?:${DIRECTIONS})\\b\\.?(?![\\p{L}]))?`;
// Street-name words must be capitalised (or ordinals like 38th): "20 years on this street" is
// not an address, "4821 Burnet Road" is. "Avenue D", "County Road 110": the kind comes first.
const STREET_SOURCE = `\\b\\d{1,6}\\s+(?:${LEADING_DIRECTION}${STREET_NAME}\\s+(?:(?:${SUFFIXES})\\b|(?:${ABBREVIATIONS})\\b\\.?)${TRAILING_DIRECTION}|(?:Avenue|Ave|County Road|Farm to Market|FM|Highway|Hwy|Route|State Road|Ranch Road)\\.?\\s+(?:[A-Z]|\\d{1,4})\\b)`;
const STREET = new RegExp(STREET_SOURCE, "gu");
/** The same shape in a transcript written all in lowercase ("3925 north williams street denver"). */
const STREET_ANY_CASE = new RegExp(`^${STREET_SOURCE.slice(2)}`, "iu");
/** A street without its kind ("48 South Clarkson"), read only as the start of an answer about the address. */
const BARE_STREET = new RegExp(`^\\d{1,6}\\s+${LEADING_DIRECTION}\\p{Lu}[\\p{L}'’-]*(?:\\s+\\p{Lu}[\\p{L}'’-]*){0,2}`, "u");
const UNIT_WORDS = withLower(["Apartment", "Apt", "Unit", "Suite", "Ste", "Building", "Bldg", "Lot", "Apartamento", "Apto", "Departamento", "Depto"]);
const UNIT = new RegExp(`^,?\\s+(?:(?:${UNIT_WORDS})\\.?\\s*|#\\s*)[A-Za-z0-9-]+\\b`);
const UNIT_CORRECTION = new RegExp(`^[,.]?\\s*(?:(?:no|sorry|wait|actually|I mean|oops)[,.!]?\\s+){1,3}(?:(?:${UNIT_WORDS})\\.?\\s*|#\\s*)?([A-Za-z]?\\d+[A-Za-z]?)\\b`, "i");
/** A unit said as its own sentence after the street ("3418 Speedway, Austin. Unit B."). */
const UNIT_SENTENCE = new RegExp(`^\\.\\s+((?:${UNIT_WORDS})\\.?\\s*[A-Za-z0-9-]+)\\s*(?:[.!?]|$)`);
const CITY_STATE_ZIP = new RegExp(
  `^(,?\\s+)((?!(?:${STATES})\\b)\\p{Lu}\\p{Ll}+(?:\\s+(?!(?:${STATES})\\b)\\p{Lu}\\p{Ll}+){0,2})?(?:,?\\s+(${STATES})\\b)?(?:,?\\s+(\\d{5}(?:-\\d{4})?)\\b)?`,
  "u",
);
/** A city said as its own sentence after the street ("4821 Burnet Road. Austin."). */
const CITY_SENTENCE = /^\.\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)\s*(?:[.!?]|$)/u;
/** The caller takes back what they just said ("… sorry, …", "no wait, …", "I mean …"). */
const CORRECTION = /^[,.]?\s*(?:(?:no|oh|sorry|wait|actually|I mean|oops|rather|I'm sorry|my bad)[,.!]?\s+){1,3}/i;
/** How far after a taken-back address the corrected one may start ("… Oh sorry, it's Bryker Woods Drive, 3300 …"). */
const CORRECTION_REACH = 60;
/** Words before an address that say it is where the job is ("the problem is at my rental house, …"). */
const JOB_SITE = /\b(?:problem|job|work|leak|repair|service address|rental|property|the house|(?:her|his|their|my \w+['’]s) (?:house|place|home)|is at)\b[^.!?]{0,30}$/i;
/** Words before an address that say it is not where the job is ("I live at …", "bills go to …"). */
const NOT_JOB_SITE = /\b(?:I live at|we live at|my home is|mailing|bills? go|billing|office is)\b[^.!?]{0,20}$/i;

export interface FoundAddress {
  serviceAddress: string;
  market: string | null;
}

/** The street address that begins at `start` of `text`, with what follows it (unit, city, state, ZIP). */
function completeAddress(text: string, start: number, street: string): FoundAddress {
  let address = street;
  let rest = text.slice(start + street.length);
  const unit = UNIT.exec(rest);
  if (unit) {
    address += unit[0];
    rest = rest.slice(unit[0].length);
    // "Unit 410. No wait, 401.": the corrected unit.
    const corrected = UNIT_CORRECTION.exec(rest);
    if (corrected) {
      address = address.replace(/[A-Za-z0-9-]+$/, corrected[1]!);
      rest = rest.slice(corrected[0].length);
    }
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
      rest = rest.slice(whole.length);
    }
  }
  if (market === null) {
    const city = CITY_SENTENCE.exec(rest);
    if (city) {
      address += `, ${city[1]}`;
      market = city[1]!;
      rest = rest.slice(city[0].length - (/[.!?]$/.test(city[0]) ? 1 : 0));
    }
  }
  const lateUnit = unit ? null : UNIT_SENTENCE.exec(rest.replace(/^[,]/, "."));
  if (lateUnit) address = `${address.replace(/[,.]\s*$/, "")}, ${lateUnit[1]}`;
  return { serviceAddress: address.trim().replace(/[,.]$/, ""), market };
}

/**
 * A street address the caller gave (number, street, unit, city, state, ZIP) and its city. When
 * the caller takes an address back and says another ("4812 Burnet Road, sorry, 4821 Burnet
 * Road"), the second one.
 */
export function findAddress(text: string): FoundAddress | null {
  STREET.lastIndex = 0;
  const streets = [...text.matchAll(STREET)];
  if (!streets.length) return null;
  // The job site when the caller says which ("I live at 801 Brazos Street but the problem is at my
  // rental house, 4609 Avenue B"), else the first address; a home or billing address never.
  const before = (m: RegExpExecArray) => text.slice(Math.max(0, m.index - 50), m.index);
  let chosen = streets.findIndex((m) => JOB_SITE.test(before(m)) && !NOT_JOB_SITE.test(before(m)));
  if (chosen < 0) chosen = streets.findIndex((m) => !NOT_JOB_SITE.test(before(m)));
  if (chosen < 0) return null;
  // A correction right after an address takes it back for the next one said soon after.
  while (chosen + 1 < streets.length) {
    const end = streets[chosen]!.index + streets[chosen]![0].length;
    const next = streets[chosen + 1]!;
    if (!CORRECTION.test(text.slice(end, end + 40)) || next.index - end > CORRECTION_REACH) break;
    chosen += 1;
  }
  const street = streets[chosen]!;
  return completeAddress(text, street.index, street[0]);
}

/** The agent asks where the job is. */
const ADDRESS_QUESTION = /\b(?:address|where(?:'s| is) the (?:home|house|property|job|rental)|where are you located|what street|where is it)\b/i;
/** What a caller says before the address itself ("Sure, it's …", "We're at …", "Es …"). */
const ADDRESS_PREAMBLE =
  /^(?:(?:sure|yes|yeah|yep|ok|okay|uh|um|so|it['’]s|it is|the address is|address is|that['’]s|we['’]re at|i['’]m at|she['’]s at|he['’]s at|they['’]re at|we live at|i live at|es|vivo en|estoy en)[,.!:]?\s+)+/i;

/**
 * The address in the caller's answer to the agent's address question, where a street without
 * its kind is still an address when a city, state or ZIP follows it ("48 South Clarkson,
 * Denver, 80209"), and an all-lowercase answer is read as well.
 */
export function findAnsweredAddress(turns: Turn[]): FoundAddress | null {
  for (let i = 1; i < turns.length; i++) {
    const [asked, answer] = [turns[i - 1]!, turns[i]!];
    if (asked.speaker !== "agent" || answer.speaker !== "caller" || !ADDRESS_QUESTION.test(asked.text)) continue;
    const said = answer.text.replace(ADDRESS_PREAMBLE, "");
    const bare = BARE_STREET.exec(said);
    if (bare) {
      const found = completeAddress(said, 0, bare[0]);
      if (found.serviceAddress.length > bare[0].length && (found.market || /\d{5}$/.test(found.serviceAddress))) return found;
    }
    if (!/\p{Lu}/u.test(said)) {
      const street = STREET_ANY_CASE.exec(said);
      if (street) {
        const city = /^,?\s+(\p{L}+(?:\s+\p{L}+)?)\s*[.!]?$/u.exec(sentences(said)[0]!.slice(street[0].length));
        const market = city ? city[1]!.replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase()) : null;
        const titled = street[0].replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase());
        return { serviceAddress: market ? `${titled}, ${market}` : titled, market };
      }
    }
  }
  return null;
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
