/**
 * How deep a JSON text nests, read in one pass without parsing it. Everything that walks a
 * parsed body (cleaning it, validating it) recurses, so a body nested ten thousand levels deep
 * overflowed the stack and answered 500; no payload the gateway reads nests more than a few
 * levels, so deeper ones are refused as malformed before they are parsed.
 */

/** The deepest nesting any JSON body may have. */
export const MAX_JSON_DEPTH = 64;

/** The deepest `[`/`{` nesting of a JSON text (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123 /* [ { */) deepest = Math.max(deepest, ++depth);
    else if (c === 93 || c === 125 /* ] } */) depth--;
  }
  return deepest;
}

/** Why a JSON text is refused before parsing, or null when it may be parsed. */
export function tooDeep(text: string): string | null {
  return jsonDepth(text) > MAX_JSON_DEPTH ? `it nests deeper than ${MAX_JSON_DEPTH} levels` : null;
}
