import fc from "fast-check";

/** Characters that have broken gateways: NUL, lone surrogates, emoji, RTL marks, quotes, markup. */
const UNITS = ["\u0000", "\ud800", "\udfff", "😀", "🚰", "\u202e", "\u200f", "ש", "é", "'", '"', "\\", "<b>", "%00", "\n", " ", "a", "7", "-", ":"];

/** Strings a hostile or careless sender produces. */
export const nastyString = fc.oneof(
  fc.string({ unit: fc.constantFrom(...UNITS), maxLength: 40 }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom("", " ", "99999999999d", "2026-13-45", "9999-12-31T23:59:59Z", "+1", "acme:1001", "acme:99999999999999999999", "../..", "NaN"),
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => "x ".repeat(n / 2)),
);

/** Any JSON value with nasty strings, out-of-range numbers and wrong types at every level. */
export const nastyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    nastyString,
    fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, true, false, null),
    fc.integer(),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(nastyString, tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** Every path to a value inside `value` (object keys and array indexes), the root excluded. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}

function setAt(root: unknown, path: (string | number)[], replacement: unknown | typeof DELETE): unknown {
  if (path.length === 0) return replacement;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  const [head, ...rest] = path;
  if (rest.length === 0 && replacement === DELETE) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete copy[head!];
  } else copy[head!] = setAt(copy[head!], rest, replacement);
  return copy;
}

const DELETE = Symbol("delete");

/**
 * A valid payload with one to three of its values replaced by nasty ones, removed, or joined by
 * an unknown key: input that gets past the first checks and reaches the code behind them.
 */
export function mutated<T>(valid: T): fc.Arbitrary<T> {
  const all = paths(valid);
  const edit = fc.tuple(
    fc.constantFrom(...all),
    fc.oneof({ weight: 6, arbitrary: nastyValue }, { weight: 1, arbitrary: fc.constant(DELETE) }),
  );
  const extra = fc.option(fc.tuple(nastyString, nastyValue), { freq: 4 });
  return fc.tuple(fc.array(edit, { minLength: 1, maxLength: 3 }), extra).map(([edits, added]) => {
    let out: unknown = valid;
    for (const [path, value] of edits) out = setAt(out, path, value);
    if (added && out && typeof out === "object" && !Array.isArray(out)) out = { ...(out as object), [added[0]]: added[1] };
    return out as T;
  });
}

/** Twilio form fields: every value a string, so the nasty values are strings too. */
export function mutatedForm(valid: Record<string, string>): fc.Arbitrary<Record<string, string>> {
  const keys = Object.keys(valid);
  return fc
    .tuple(fc.array(fc.tuple(fc.constantFrom(...keys), nastyString), { minLength: 1, maxLength: 3 }), fc.option(fc.tuple(nastyString, nastyString), { freq: 4 }))
    .map(([edits, added]) => {
      const out = { ...valid };
      for (const [key, value] of edits) out[key] = value;
      if (added) out[added[0]] = added[1];
      return out;
    });
}
