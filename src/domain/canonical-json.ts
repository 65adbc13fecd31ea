/**
 * JSON with object keys sorted at every level and undefined members left out, so two values that
 * mean the same compare equal whatever their key order (PostgreSQL's jsonb reorders keys on store).
 * Array order is kept: it means something (routing rules, team order for round robin).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
