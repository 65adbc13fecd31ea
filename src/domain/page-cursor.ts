/**
 * The opaque `cursor` of a listing (CONTRACT §8): the sort key of the last row a page showed,
 * so the next page starts after it however many rows arrive meanwhile (keyset, not offset).
 */

/** The sort key of a row: its creation time, then whatever breaks ties (a code, an id). */
export type CursorKey = [at: string, ...rest: (string | number)[]];

/** A cursor for the page after the row with this key. */
export function encodeCursor(key: CursorKey): string {
  return btoa(JSON.stringify(key)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The key a cursor holds, or null when it is not one this listing made (`shape` names the type
 * of each part after the time: "number" or "uuid").
 */
export function decodeCursor(cursor: string, shape: ("number" | "uuid")[]): CursorKey | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  let key: unknown;
  try {
    key = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    return null;
  }
  if (!Array.isArray(key) || key.length !== shape.length + 1) return null;
  const [at, ...rest] = key as unknown[];
  if (typeof at !== "string" || Number.isNaN(Date.parse(at))) return null;
  const fits = rest.every((v, i) =>
    shape[i] === "number" ? Number.isSafeInteger(v) : typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v),
  );
  return fits ? (key as CursorKey) : null;
}

/** `%` and `_` match literally in a LIKE pattern built from what a person typed. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
