import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { businesses, businessVersions } from "../db/schema/index.ts";
import { businessConfigSchema, describeIssues, SLUG, type BusinessConfig } from "../domain/business-config.ts";
import { RECONCILE_API_PROVIDERS } from "../domain/reconcile-config.ts";
import { SECRET_MASK as MASK } from "../domain/webhook-config.ts";
import { canonicalJson } from "../domain/canonical-json.ts";
import { anchorRotations } from "../domain/on-duty.ts";
import { cleanText } from "../domain/storable-text.ts";
import { BusinessNotFound } from "../domain/errors.ts";
import { AppError } from "../errors.ts";
import type { BusinessRow } from "../core/records.ts";

/** The business by slug, or BusinessNotFound naming it (a 404). */
export async function loadBusiness(db: Db, slug: string): Promise<BusinessRow> {
  // A slug no config could have (NUL, a slash, a megabyte) is not looked up: there is none.
  if (!SLUG.test(slug)) throw new BusinessNotFound(slug, `No business "${cleanText(slug).slice(0, 100)}".`);
  const [row] = await db.select().from(businesses).where(eq(businesses.slug, slug));
  if (!row) throw new BusinessNotFound(slug);
  return row;
}

/** How long a webhook may use a business read before reading it again (another process's apply). */
const CACHE_MS = 5_000;
const cache = new WeakMap<Db, Map<string, { row: BusinessRow; until: number }>>();

/**
 * The business by slug for the hot webhook path, read at most every few seconds. An apply in
 * this process replaces the entry at once; one in another process is seen within CACHE_MS.
 */
export async function loadBusinessCached(db: Db, slug: string, now = Date.now()): Promise<BusinessRow> {
  let entries = cache.get(db);
  if (!entries) cache.set(db, (entries = new Map()));
  const hit = entries.get(slug);
  if (hit && hit.until > now) return hit.row;
  const row = await loadBusiness(db, slug);
  entries.set(slug, { row, until: now + CACHE_MS });
  return row;
}

/**
 * Drops every business read cached for `db`. Called when a connection closes: the database may
 * have been recreated or restored, and a cached row would then name a business that is gone.
 */
export function forgetCachedBusinesses(db: Db): void {
  cache.delete(db);
}

/** Validates a config whole: every problem listed by path, or the parsed config. */
export function parseBusinessConfig(input: unknown): BusinessConfig {
  const parsed = businessConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", "The business config is invalid; nothing was changed.", describeIssues(parsed.error));
  }
  return parsed.data;
}

/**
 * Applies a config as the next version of its business (creating the business on first apply).
 * An invalid config is refused whole and the current version stays.
 */
export async function applyBusinessConfig(
  db: Db,
  input: unknown,
  opts: { slug?: string; appliedBy: string; now: Date },
): Promise<{ business: BusinessRow; created: boolean; changed: boolean }> {
  const config = parseBusinessConfig(input);
  if (opts.slug && config.slug !== opts.slug) {
    throw new AppError("validation_failed", "The business config is invalid; nothing was changed.", [
      { path: "slug", message: `must match the URL's slug "${opts.slug}"` },
    ]);
  }
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(businesses).where(eq(businesses.slug, config.slug)).for("update");
    keepMaskedSecrets(config, current?.config);
    anchorRotations(config.schedules, current?.config.schedules, config.timezone, opts.now);
    // Compared canonically: jsonb reorders keys, and the same config written another way is no change.
    if (current && canonicalJson(current.config) === canonicalJson(config)) {
      return { business: current, created: false, changed: false };
    }
    const version = (current?.version ?? 0) + 1;
    const [business] = current
      ? await tx.update(businesses).set({ config, version, updatedAt: opts.now }).where(eq(businesses.id, current.id)).returning()
      : await tx.insert(businesses).values({ slug: config.slug, config, version, createdAt: opts.now, updatedAt: opts.now }).returning();
    await tx.insert(businessVersions).values({ businessId: business!.id, version, config, appliedBy: opts.appliedBy, createdAt: opts.now });
    return { business: business!, created: !current, changed: true };
  }).then((result) => {
    cache.get(db)?.delete(result.business.slug);
    return result;
  });
}

/** Every applied version of a business, newest first. */
export async function businessHistory(db: Db, businessId: string) {
  return db
    .select({ version: businessVersions.version, appliedBy: businessVersions.appliedBy, createdAt: businessVersions.createdAt })
    .from(businessVersions)
    .where(eq(businessVersions.businessId, businessId))
    .orderBy(desc(businessVersions.version));
}

/**
 * Every secret a config may hold, by path: the webhook `secrets` and the provider API keys
 * reconciliation lists calls with. Each is masked when read back and kept when the mask is sent.
 */
function secretSlots(config: BusinessConfig): { path: string; get(): string | undefined; set(value: string): void }[] {
  const slots = (Object.keys(config.secrets) as (keyof BusinessConfig["secrets"])[]).map((key) => ({
    path: `secrets.${key}`,
    get: () => config.secrets[key],
    set: (value: string) => void (config.secrets[key] = value),
  }));
  for (const provider of RECONCILE_API_PROVIDERS) {
    const api = config.reconcile?.[provider];
    if (api?.apiKey !== undefined) {
      slots.push({ path: `reconcile.${provider}.apiKey`, get: () => api.apiKey, set: (value) => void (api.apiKey = value) });
    }
  }
  // Stored before integrations existed, a config may lack them.
  const hubspot = config.integrations?.hubspot;
  if (hubspot) slots.push({ path: "integrations.hubspot.accessToken", get: () => hubspot.accessToken, set: (value) => void (hubspot.accessToken = value) });
  const jobber = config.integrations?.jobber;
  if (jobber) {
    slots.push({ path: "integrations.jobber.clientSecret", get: () => jobber.clientSecret, set: (value) => void (jobber.clientSecret = value) });
    slots.push({ path: "integrations.jobber.refreshToken", get: () => jobber.refreshToken, set: (value) => void (jobber.refreshToken = value) });
  }
  return slots;
}

/** The stored secret at a path of the current config, if any. */
function storedSecret(current: BusinessConfig | undefined, path: string): string | undefined {
  if (!current) return undefined;
  const slot = secretSlots(structuredClone(current)).find((s) => s.path === path);
  return slot?.get();
}

/**
 * A config read back from GET carries masked secrets; applying it again keeps the real ones. A mask
 * with no stored secret behind it (another business's config copied) is refused: it would
 * silently leave the business without that secret.
 */
function keepMaskedSecrets(config: BusinessConfig, current: BusinessConfig | undefined): void {
  const problems: { path: string; message: string }[] = [];
  for (const slot of secretSlots(config)) {
    if (slot.get() !== MASK) continue;
    const stored = storedSecret(current, slot.path);
    if (stored) slot.set(stored);
    else problems.push({ path: slot.path, message: `"${MASK}" keeps a stored secret, but ${config.slug} has none stored; send the secret itself` });
  }
  // A subscription's secret is kept by its id: the stored subscription of the same id.
  config.webhooks.forEach((sub, i) => {
    if (sub.secret !== MASK) return;
    const stored = current?.webhooks?.find((w) => w.id === sub.id)?.secret;
    if (stored) sub.secret = stored;
    else problems.push({ path: `webhooks.${i}.secret`, message: `"${MASK}" keeps a stored secret, but ${config.slug} has no webhook "${sub.id}" stored; send the secret itself` });
  });
  if (problems.length) throw new AppError("validation_failed", "The business config is invalid; nothing was changed.", problems);
}

/** The business config as the API shows it: secrets masked, so a GET never leaks them. */
export function publicConfig(config: BusinessConfig): BusinessConfig {
  const shown = structuredClone(config);
  for (const slot of secretSlots(shown)) if (slot.get()) slot.set(MASK);
  // Stored before these existed, a config may lack them; shown as the schema's defaults.
  shown.webhooks = (config.webhooks ?? []).map((w) => ({ ...w, secret: MASK }));
  shown.integrations = shown.integrations ?? {};
  return shown;
}
