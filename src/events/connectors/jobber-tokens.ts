import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Deps } from "../../core/deps.ts";
import { JobberError, refreshJobberTokens, type JobberAuth } from "../../adapters/crm/jobber.ts";
import { jobberTokens } from "../../db/schema/index.ts";
import { JOBBER_API, type JobberConfig } from "../../domain/integrations-config.ts";

/** Outlasts a refresh (its timeout) with room to store the answer, so a live refresher is never overtaken. */
const LEASE_MS = 60_000;
/** An access token this close to its expiry is refreshed first rather than sent to die mid-sync. */
const EARLY_MS = 60_000;
/** Jobber's documented default lifetime, for an access token that does not say (not a JWT). */
const DEFAULT_LIFETIME_MS = 60 * 60_000;
const POLL_MS = 50;

type TokenRow = typeof jobberTokens.$inferSelect;

/**
 * Bearer tokens for one business's Jobber account, kept in `jobber_tokens`. An access token is
 * reused until shortly before it expires, or until Jobber answers 401 to it; then one attempt
 * refreshes. The refresh is serialised by a lease on the row, taken with one conditional update
 * (PostgreSQL lets at most one of two claimers match), rather than a `select … for update` held
 * across the HTTP call: on the embedded database that would stall every other query for as long
 * as Jobber takes to answer. Whoever loses the race waits for the winner's tokens, so a refresh
 * token is sent to Jobber once and never again.
 */
export function jobberAuth(deps: Deps, businessId: string, config: JobberConfig, limits: Limits): JobberAuth {
  return {
    token: () => accessToken(deps, businessId, config, limits, null),
    renew: (rejected) => accessToken(deps, businessId, config, limits, rejected),
  };
}

/** The refresh call's own timeout, and the attempt's budget (waiting for another's refresh ends with it too). */
type Limits = { timeoutMs: number; budget?: AbortSignal };

async function accessToken(deps: Deps, businessId: string, config: JobberConfig, limits: Limits, rejected: string | null): Promise<string> {
  const { timeoutMs } = limits;
  const seed = await sha256(config.refreshToken);
  // The winner of a race is given its timeout and the lease's slack; past that it has died.
  for (let waited = 0; ; waited += POLL_MS) {
    const row = await currentRow(deps, businessId, config.refreshToken, seed);
    const now = deps.clock.now();
    if (row.accessToken && row.accessToken !== rejected && row.accessExpiresAt && row.accessExpiresAt.getTime() - EARLY_MS > now.getTime()) return row.accessToken;
    const [claimed] = await deps.db
      .update(jobberTokens)
      .set({ refreshingUntil: new Date(now.getTime() + LEASE_MS) })
      .where(
        and(
          eq(jobberTokens.businessId, businessId),
          // Still the token read above: a refresh that finished in between is not repeated.
          eq(jobberTokens.refreshToken, row.refreshToken),
          or(isNull(jobberTokens.refreshingUntil), lt(jobberTokens.refreshingUntil, now)),
        ),
      )
      .returning();
    if (claimed) return refresh(deps, claimed, config, limits);
    if (waited > timeoutMs + 5_000 || limits.budget?.aborted) throw new JobberError(null, "Another attempt is refreshing the Jobber token and has not finished");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Spends the row's refresh token (this attempt holds the lease) and stores the pair Jobber gives back. */
async function refresh(deps: Deps, row: TokenRow, config: JobberConfig, { timeoutMs, budget }: Limits): Promise<string> {
  const held = and(eq(jobberTokens.businessId, row.businessId), eq(jobberTokens.refreshToken, row.refreshToken));
  let pair;
  try {
    pair = await refreshJobberTokens({ baseUrl: config.baseUrl ?? JOBBER_API, timeoutMs, budget, clientId: config.clientId, clientSecret: config.clientSecret, refreshToken: row.refreshToken });
  } catch (err) {
    await deps.db.update(jobberTokens).set({ refreshingUntil: null }).where(held);
    throw err;
  }
  const now = deps.clock.now();
  const [saved] = await deps.db
    .update(jobberTokens)
    .set({
      accessToken: pair.accessToken,
      accessExpiresAt: pair.expiresAt ?? new Date(now.getTime() + DEFAULT_LIFETIME_MS),
      refreshToken: pair.refreshToken,
      refreshingUntil: null,
      updatedAt: now,
    })
    .where(held)
    .returning({ businessId: jobberTokens.businessId });
  // Re-seeded from a new config token meanwhile: this pair still works for this attempt.
  if (!saved) deps.logger.warn("jobber tokens re-seeded during a refresh; the refreshed pair was not stored", { businessId: row.businessId });
  return pair.accessToken;
}

/** The business's row, made from the config's refresh token on first use and re-made when that token changes. */
async function currentRow(deps: Deps, businessId: string, configToken: string, seed: string): Promise<TokenRow> {
  const read = async () => (await deps.db.select().from(jobberTokens).where(eq(jobberTokens.businessId, businessId)))[0];
  let row = await read();
  if (!row) {
    await deps.db.insert(jobberTokens).values({ businessId, refreshToken: configToken, seededFrom: seed, updatedAt: deps.clock.now() }).onConflictDoNothing();
    row = await read();
  } else if (row.seededFrom !== seed) {
    // A new refresh token in the config (the app was reconnected): the old chain is abandoned.
    await deps.db
      .update(jobberTokens)
      .set({ refreshToken: configToken, seededFrom: seed, accessToken: null, accessExpiresAt: null, refreshingUntil: null, updatedAt: deps.clock.now() })
      .where(and(eq(jobberTokens.businessId, businessId), eq(jobberTokens.seededFrom, row.seededFrom)));
    row = await read();
  }
  return row!;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
