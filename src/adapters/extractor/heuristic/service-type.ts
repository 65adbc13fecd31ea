import { mentions } from "./mentions.ts";

/** A built-in trade: its name, the words that point to it, and how a business's service types name it. */
interface Trade {
  name: string;
  said: RegExp;
  /** Which of the business's service types is this trade ("drain cleaning" for a clog). */
  businessType: RegExp;
}

/** The built-in trades, most specific first: a clog is drain work before it is plumbing. */
export const TRADES: Trade[] = [
  { name: "water damage", said: /\b(water damage|mold|mildew)\b/i, businessType: /water damage|restoration|mitigation/i },
  { name: "plumbing", said: /\b(clog\w*|backed up|backing up|backs? up|slow drain\w*|drains?)\b/i, businessType: /drain/i },
  { name: "plumbing", said: /\b(sewer|sewage|septic|main line)\b/i, businessType: /sewer|drain/i },
  { name: "plumbing", said: /\b(water heater|hot water|tankless|pilot light|calentador)\b/i, businessType: /water heater/i },
  { name: "roofing", said: /\b(roof\w*|shingles?|skylights?|flashing|chimney|gutters?|downspouts?|storm|hail|techo)\b/i, businessType: /roof/i },
  { name: "HVAC", said: /\b(hvac|a\/?c|air condition\w*|cooling|blowing (?:warm|hot)|ductwork)\b/i, businessType: /\bair\b|\bac\b|a\/c|cool|hvac/i },
  { name: "HVAC", said: /\b(furnace|heating|heat|no heat|boiler|radiators?|heat pump|thermostat)\b/i, businessType: /\bheat(?!er)|furnace|boiler|hvac/i },
  {
    name: "electrical",
    said: /\b(electric\w*|outlets?|breakers?|wiring|rewir\w*|spark\w*|panel|fuse box|circuits?|lights? flicker\w*|light switch|no power|generator|charger)\b/i,
    businessType: /electric/i,
  },
  {
    name: "plumbing",
    said: /\b(plumb\w*|pipes?|leak\w*|faucet|toilet|drain\w*|clog\w*|water heater|water line|sewer|sewage|sink|shower|spigot|disposal|repip\w*|valve|water pressure|sump(?: pump)?|tubo)\b/i,
    businessType: /plumb/i,
  },
  // A leak is the roof's to a business that fixes roofs and not pipes.
  { name: "plumbing", said: /\b(leak\w*|drip\w*)\b/i, businessType: /plumb|roof/i },
];

/** Words that do not tell one service from another ("AC repair" is about "AC"). */
const GENERIC_WORDS = new Set([
  "repair", "repairs", "service", "services", "installation", "install", "installs", "replacement", "replacements", "upgrade",
  "upgrades", "cleaning", "maintenance", "inspection", "inspections", "work", "general", "new", "and", "or", "&",
]);
/**
 * What the caller says that picks between two service types with the same distinctive words:
 * "we need a new water heater installed" is the install, "the pilot keeps going out" the repair.
 */
const GENERIC_HINTS: Record<string, RegExp> = {
  install: /\b(install\w*|new|put in|add(?:ed|ing)?|first one)\b/i,
  installation: /\b(install\w*|new|put in|add(?:ed|ing)?)\b/i,
  replacement: /\b(replac\w*|new|full replacement|old)\b/i,
  upgrade: /\b(upgrad\w*|replac\w*|old)\b/i,
  repair: /\b(repair\w*|fix\w*|broke\w*|leak\w*|drip\w*|not working|stopped|won't|isn't|keeps?|quit|out|no hot water|pilot|spark\w*|no power|trip\w*|flicker\w*|hot to the touch|blew off|crack\w*|no funciona|nois[ey]|sound\w*|whistl\w*|bang\w*|rumbl\w*|buzz\w*)\b/i,
  cleaning: /\b(clean\w*|clog\w*|slow)\b/i,
  inspection: /\b(inspect\w*|adjuster|insurance|check)\b/i,
};

/** A word as compared: lowercase, without a plural or -ing/-ed ending ("outlets" = "outlet", "lighting" = "light"). */
function stem(word: string): string {
  const w = word.toLowerCase().replace(/['’]s$/, "");
  if (w.length > 5 && w.endsWith("ing")) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith("ed")) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith("es") && /(?:ch|sh|x|ss)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

/** Words people say for a word of a service type ("the old fuse box" is the panel). */
const SAID_FOR: Record<string, string> = { fuse: "panel", "a/c": "ac", tesla: "ev", hail: "storm" };

/** Where each word (stemmed) of the text is first said: one pass over the text. */
function wordPositions(text: string): Map<string, number> {
  const at = new Map<string, number>();
  for (const match of text.matchAll(/[\p{L}\d]+(?:['’/][\p{L}]+)*/gu)) {
    const said = stem(match[0]);
    const word = SAID_FOR[said] ?? said;
    if (!at.has(word)) at.set(word, match.index);
  }
  return at;
}

/**
 * How well a business's service type fits what was said: the most distinctive words matched by
 * one of its alternatives ("outlet and switch repair" is an outlet or a switch), or null. An
 * abbreviation the caller said in full counts as said ("a charger" for "EV charger install").
 */
function fit(type: string, said: Map<string, number>): { words: number; at: number } | null {
  const alternatives = type
    .toLowerCase()
    .replace(/\ba\/c\b/g, "ac")
    .split(/\s*(?:,|\/|&|\band\b|\bor\b)\s*/);
  let best: { words: number; at: number } | null = null;
  for (const alternative of alternatives) {
    const words = alternative.split(/\s+/).filter((w) => w && !GENERIC_WORDS.has(w)).map(stem);
    if (!words.length) continue;
    const found = words.filter((w) => said.has(w));
    const unsaid = words.filter((w) => !said.has(w));
    const abbreviated = found.some((w) => w.length >= 4) && unsaid.every((w) => w.length <= 2);
    if (unsaid.length && !abbreviated) continue;
    const candidate = { words: found.length, at: Math.min(...found.map((w) => said.get(w)!)) };
    if (!best || candidate.words > best.words || (candidate.words === best.words && candidate.at < best.at)) best = candidate;
  }
  return best;
}

/** How many of a type's generic words ("install", "repair") the caller's words point to. */
function hinted(type: string, text: string): number {
  return type
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => GENERIC_HINTS[w] && mentions(text, GENERIC_HINTS[w]!)).length;
}

/** 1 for a type of new work (install, replacement, upgrade), which needs the caller to say so. */
const newWork = (type: string) => (/\b(install\w*|replacement|upgrade|new)\b/i.test(type) ? 1 : 0);

/** Of several service types, the one the caller's words point to, else the first listed that is not new work. */
function pick(types: string[], text: string): string {
  if (types.length < 2) return types[0]!;
  return types
    .map((type, i) => ({ type, i, hints: hinted(type, text) }))
    .sort((a, b) => b.hints - a.hints || newWork(a.type) - newWork(b.type) || a.i - b.i)[0]!.type;
}

/**
 * The service type: one of the business's `serviceTypes` whose distinctive words were said (the
 * most words, then the one the caller's other words point to, then the earliest mentioned),
 * else the first built-in trade said that the business lists (named as the business names
 * it), else the built-in trade's own name.
 */
export function findServiceType(text: string, serviceTypes: string[]): string | null {
  const said = wordPositions(text);
  const fits = serviceTypes
    .map((type) => ({ type, fit: fit(type, said) }))
    .filter((c): c is { type: string; fit: { words: number; at: number } } => c.fit !== null);
  if (fits.length) {
    const most = Math.max(...fits.map((c) => c.fit.words));
    const top = fits.filter((c) => c.fit.words === most);
    const hints = top.map((c) => hinted(c.type, text));
    const bestHint = Math.max(...hints);
    // With nothing pointing either way, a problem is a repair: new work ("install") needs saying.
    const chosen = top.filter((_, i) => hints[i] === bestHint).sort((a, b) => newWork(a.type) - newWork(b.type) || a.fit.at - b.fit.at)[0]!;
    return chosen.type;
  }
  const trades = TRADES.filter((trade) => mentions(text, trade.said));
  for (const trade of trades) {
    const named = serviceTypes.filter((type) => trade.businessType.test(type));
    if (named.length) return pick(named, text);
  }
  if (!trades[0]) return null;
  return serviceTypes.find((type) => type.toLowerCase().includes(trades[0]!.name.toLowerCase())) ?? trades[0].name;
}
