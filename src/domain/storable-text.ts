/**
 * What PostgreSQL can store of untrusted text. It refuses U+0000 in `text` and `jsonb`, and a
 * lone UTF-16 surrogate (a JSON `"\ud800"`) in `jsonb`; either used to fail the whole write. A
 * signed webhook must never be refused for it (Twilio does not resend after a 400), so what the
 * gateway extracts from one is cleaned; the API answers 400 naming the field instead.
 */

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The same, without the global flag's lastIndex state, for a yes/no test. */
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);

/** The longest any one lead field may be; the transcript is kept whole, it is not a field. */
export const MAX_FIELD_CHARS = 10_000;

/** `text` without NUL characters and with lone surrogates replaced by U+FFFD. */
export function cleanText(text: string): string {
  return text.replace(NUL, "").replace(LONE_SURROGATE, "\ufffd");
}

/** True when PostgreSQL would refuse to store `text`. */
export function isUnstorable(text: string): boolean {
  return text.includes("\u0000") || HAS_LONE_SURROGATE.test(text);
}

/** A parsed JSON value with every string (keys too) cleaned as `cleanText` does. */
export function cleanJson<T>(value: T): T {
  if (typeof value === "string") return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanJson) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanJson(v)])) as T;
  }
  return value;
}

/** Paths (`a.b.0`) of the strings in a JSON value that PostgreSQL could not store. */
export function unstorablePaths(value: unknown, path: string[] = []): string[] {
  const here = path.join(".") || "(root)";
  if (typeof value === "string") return isUnstorable(value) ? [here] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorablePaths(v, [...path, String(i)]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) =>
      isUnstorable(k) ? [[...path, cleanText(k)].join(".")] : unstorablePaths(v, [...path, k]),
    );
  }
  return [];
}

/** At most `max` characters, cut at a word boundary near the end when there is one. */
export function capText(text: string, max = MAX_FIELD_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max - 200 ? cut.slice(0, space) : cut}…`;
}

/** Lead fields as they may be stored: every string cleaned and capped. */
export function boundFields<T extends Record<string, unknown>>(fields: T): T {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, typeof v === "string" ? capText(cleanText(v)) : v]),
  ) as T;
}
