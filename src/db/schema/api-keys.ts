import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { businesses } from "./businesses.ts";

/**
 * A business's API keys (CONTRACT §11): an agency's tools reach one business without the
 * operator's token. Only the SHA-256 of a key is kept; the key itself is shown once, at creation.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey(),
    businessId: uuid("business_id").notNull().references(() => businesses.id),
    name: text("name").notNull(),
    /** Lowercase hex SHA-256 of the whole key. */
    keyHash: text("key_hash").notNull().unique(),
    /** The key's first characters (`hk_AbC1`), so a list can tell keys apart without revealing one. */
    prefix: text("prefix").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** Written at most once a minute, so a busy key does not turn every read into a write. */
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_business_idx").on(t.businessId)],
);
