import { boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Signed-in console users (CONTRACT §11). The cookie holds a random token; only its SHA-256 is
 * stored, so a copy of this table signs nobody in. A team member's session names their business
 * and member id; an operator's (ADMIN_TOKEN) names neither and sees every business.
 */
export const consoleSessions = pgTable(
  "console_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    /** The token every form of this session carries (CSRF); random, compared server-side. */
    csrfToken: text("csrf_token").notNull(),
    operator: boolean("operator").notNull().default(false),
    /** An operator's session is bound to the ADMIN_TOKEN it signed in with (a hash of it): rotating the token ends it. */
    credentialHash: text("credential_hash"),
    businessId: uuid("business_id"),
    memberId: text("member_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** Idle expiry counts from here (12 h); every request of the session moves it. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("console_sessions_last_seen_at_idx").on(t.lastSeenAt)],
);
