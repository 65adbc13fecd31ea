import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Six-digit console sign-in codes sent by SMS (CONTRACT §11): stored hashed, valid 10 minutes,
 * 5 tries. The rows are also what the rate limits count (per phone and per IP).
 */
export const signInCodes = pgTable(
  "sign_in_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phone: text("phone").notNull(),
    /** The requester's address as the edge saw it; "unknown" when none was given. */
    ip: text("ip").notNull(),
    /** SHA-256 of the code with the row's id, so equal codes never share a hash. */
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("sign_in_codes_phone_idx").on(t.phone, t.createdAt), index("sign_in_codes_ip_idx").on(t.ip, t.createdAt)],
);
