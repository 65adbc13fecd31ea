/** The built-in trades and the words that point to them, for businesses that list none. */
export const TRADES: [name: string, pattern: RegExp][] = [
  ["water damage", /\b(water damage|mold)\b/i],
  ["plumbing", /\b(plumb\w*|pipes?|leak\w*|faucet|toilet|drain\w*|clog\w*|water heater|water line|sewer|sewage|sink|shower|spigot|disposal|repip\w*)\b/i],
  ["HVAC", /\b(hvac|a\/?c|air condition\w*|furnace|heat pump|thermostat|heating|cooling|no heat|ductwork|blowing warm)\b/i],
  ["electrical", /\b(electric\w*|outlets?|breakers?|wiring|spark\w*|panel|lights? flicker\w*)\b/i],
  ["roofing", /\b(roof\w*|shingles?)\b/i],
];

/** Words that do not tell one service from another ("AC repair" is about "AC"). */
const GENERIC_WORDS = new Set(["repair", "repairs", "service", "services", "installation", "install", "replacement", "cleaning", "maintenance", "work", "general", "and", "&"]);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const firstIndex = (text: string, word: string) => new RegExp(`\\b${escapeRegExp(word)}\\b`, "i").exec(text)?.index ?? -1;

/**
 * The service type: one of the business's `serviceTypes` whose distinctive words all occur (the
 * most specific, then the earliest mentioned), else the built-in trade mentioned first (named as
 * the business names it when it lists that trade).
 */
export function findServiceType(text: string, serviceTypes: string[]): string | null {
  // "a/c" is said as "AC"; rewritten once here, not once per word looked up.
  const said = text.replace(/\ba\/c\b/gi, "AC");
  const candidates = serviceTypes
    .map((type) => {
      const words = type.toLowerCase().split(/\s+/).filter((w) => !GENERIC_WORDS.has(w));
      const positions = words.map((w) => firstIndex(said, w));
      return { type, specificity: words.length, at: words.length && positions.every((p) => p >= 0) ? Math.min(...positions) : -1 };
    })
    .filter((c) => c.at >= 0)
    .sort((a, b) => b.specificity - a.specificity || a.at - b.at);
  if (candidates[0]) return candidates[0].type;

  const trades = TRADES.map(([name, pattern]) => ({ name, at: pattern.exec(text)?.index ?? -1 }))
    .filter((t) => t.at >= 0)
    .sort((a, b) => a.at - b.at);
  const trade = trades[0]?.name;
  if (!trade) return null;
  return serviceTypes.find((type) => type.toLowerCase().includes(trade.toLowerCase())) ?? trade;
}
