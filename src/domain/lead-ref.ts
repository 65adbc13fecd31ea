import { z } from "zod";

/** How a lead is named where people see it: its business and code, `acme:1042`. */
export const LEAD_REF_EXAMPLE = "acme:1042";

/** The largest code the `leads.code` column (a PostgreSQL integer) can hold. */
const MAX_CODE = 2_147_483_647;

const uuid = z.uuid();
// The slug part is a business slug as business-config.ts allows it; the code a positive integer.
const BUSINESS_CODE = /^([a-z0-9][a-z0-9-]{0,62}):([1-9]\d{0,14})$/;

/**
 * A lead reference as a route gets it (CONTRACT §8): a UUID, or `business:code`; null when it is
 * neither. A code too large to exist is still well formed (`possible: false`), so it is a 404.
 */
export function parseLeadRef(ref: string): { id: string } | { slug: string; code: number; possible: boolean } | null {
  if (uuid.safeParse(ref).success) return { id: ref };
  const match = BUSINESS_CODE.exec(ref);
  if (!match) return null;
  const code = Number(match[2]);
  return { slug: match[1]!, code, possible: code <= MAX_CODE };
}
