import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses.ts";

/**
 * A business's live Jobber OAuth tokens. Jobber rotates the refresh token on every refresh and the
 * old one stops working at once, so the current pair lives here, not in the config: the config's
 * `integrations.jobber.refreshToken` only seeds this row. One refresh at a time per business:
 * `refreshing_until` is a lease taken with a conditional update, so of two sweepers one refreshes
 * and the other waits for its result, and nobody spends the same refresh token twice.
 */
export const jobberTokens = pgTable("jobber_tokens", {
  businessId: uuid("business_id")
    .primaryKey()
    .references(() => businesses.id),
  accessToken: text("access_token"),
  /** From the access token's `exp` (a JWT); a token this close to it is refreshed first. */
  accessExpiresAt: timestamp("access_expires_at", { withTimezone: true }),
  refreshToken: text("refresh_token").notNull(),
  /** SHA-256 of the config refresh token the chain started from; a different one in the config re-seeds. */
  seededFrom: text("seeded_from").notNull(),
  /** Held while one attempt refreshes; past it, the refresher is taken to have died. */
  refreshingUntil: timestamp("refreshing_until", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});
