import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { apiKeys, businesses } from "../db/schema/index.ts";
import { sha256Hex } from "../adapters/inbound/crypto.ts";
import { ApiKeyNotFound } from "../domain/errors.ts";
import type { BusinessRow } from "../core/records.ts";
import { AppError } from "../errors.ts";

/** Every key starts so: a token that does not is never looked up (it is the operator's, or wrong). */
export const KEY_PREFIX = "hk_";
/** Live keys one business may hold; a leak is revoked, not outgrown. */
export const MAX_KEYS = 50;
/** How stale `lastUsedAt` may get before a request writes it again. */
const TOUCH_EVERY_MS = 60_000;

/** A key as the API lists it: never the key, nor its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Whose a key is, as the Bearer check hands it to the routes. */
export interface KeyHolder {
  keyId: string;
  businessId: string;
  slug: string;
}

/** 32 random bytes, base64url: 256 bits, so a plain SHA-256 of it is as good as any password hash. */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return KEY_PREFIX + b64;
}

const view = (row: typeof apiKeys.$inferSelect): ApiKeyView => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

/** Makes a key for `business`; the answer is the only place the key itself ever appears. */
export async function createApiKey(db: Db, business: BusinessRow, name: string, now: Date): Promise<ApiKeyView & { key: string }> {
  const live = await db.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.businessId, business.id), isNull(apiKeys.revokedAt)));
  if (live.length >= MAX_KEYS) {
    throw new AppError("conflict", `${business.slug} already has ${MAX_KEYS} live API keys; revoke one it no longer uses first.`);
  }
  const key = newKey();
  const [row] = await db
    .insert(apiKeys)
    .values({ id: crypto.randomUUID(), businessId: business.id, name, keyHash: sha256Hex(key), prefix: key.slice(0, 8), createdAt: now })
    .returning();
  return { ...view(row!), key };
}

/** The business's live keys, oldest first. */
export async function listApiKeys(db: Db, business: BusinessRow): Promise<ApiKeyView[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.businessId, business.id), isNull(apiKeys.revokedAt)))
    .orderBy(apiKeys.createdAt, apiKeys.id);
  return rows.map(view);
}

/** Revokes a live key of `business`: from the next request on it is a wrong token (401). */
export async function revokeApiKey(db: Db, business: BusinessRow, id: string, now: Date): Promise<void> {
  const done = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.businessId, business.id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (done.length === 0) throw new ApiKeyNotFound(id);
}

/**
 * Whose live key `token` is, or undefined. Looked up by hash (an index hit, and nothing about
 * the key is compared byte by byte); `lastUsedAt` is written when it is a minute stale.
 */
export async function keyHolder(db: Db, token: string, now: Date): Promise<KeyHolder | undefined> {
  if (!token.startsWith(KEY_PREFIX)) return undefined;
  const [row] = await db
    .select({ keyId: apiKeys.id, businessId: apiKeys.businessId, slug: businesses.slug, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(businesses, eq(businesses.id, apiKeys.businessId))
    .where(and(eq(apiKeys.keyHash, sha256Hex(token)), isNull(apiKeys.revokedAt)));
  if (!row) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    const stale = new Date(now.getTime() - TOUCH_EVERY_MS);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
  }
  return { keyId: row.keyId, businessId: row.businessId, slug: row.slug };
}
