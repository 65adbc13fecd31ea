import { and, eq, lt } from "drizzle-orm";
import { businesses, consoleSessions } from "../db/schema/index.ts";
import type { Member } from "../domain/business-config.ts";
import type { Deps } from "../core/deps.ts";
import type { BusinessRow } from "../core/records.ts";
import { sha256Hex } from "../adapters/inbound/crypto.ts";
import { memberScope, type LeadScope } from "../admin/lead-scope.ts";

/** A session ends after this long without a request (CONTRACT §11: 12 h idle). */
export const IDLE_MS = 12 * 3_600_000;
/** lastSeenAt is written at most this often, so reading pages is not a write each time. */
const TOUCH_MS = 60_000;

/** Who is signed in: the operator, or a member of one business, with the leads they may see. */
export interface Viewer {
  sessionId: string;
  csrf: string;
  operator: boolean;
  business: BusinessRow | null;
  member: Member | null;
  scope: LeadScope;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const tokenHash = (token: string) => sha256Hex(`console-session:v1:${token}`);
const credentialHash = (adminToken: string) => sha256Hex(`console-operator:v1:${adminToken}`);

/** A new session; the token (for the cookie) exists only in the answer, the table keeps its hash. */
export async function createSession(deps: Deps, who: { operator: true } | { businessId: string; memberId: string }): Promise<string> {
  const token = randomToken();
  const now = deps.clock.now();
  await deps.db.insert(consoleSessions).values({
    tokenHash: tokenHash(token),
    csrfToken: randomToken(),
    operator: "operator" in who,
    credentialHash: "operator" in who ? credentialHash(deps.settings.adminToken) : null,
    businessId: "businessId" in who ? who.businessId : null,
    memberId: "memberId" in who ? who.memberId : null,
    createdAt: now,
    lastSeenAt: now,
  });
  // Sessions idle past their expiry are removed as new ones begin, so the table stays small.
  await deps.db.delete(consoleSessions).where(lt(consoleSessions.lastSeenAt, new Date(now.getTime() - IDLE_MS)));
  return token;
}

/**
 * The viewer of a cookie's token, or null: unknown, idle past IDLE_MS, or a member no longer on
 * the team (a config applied since). Moves the idle clock.
 */
export async function viewerOf(deps: Deps, token: string | undefined): Promise<Viewer | null> {
  if (!token || token.length > 200) return null;
  const now = deps.clock.now();
  const [session] = await deps.db.select().from(consoleSessions).where(eq(consoleSessions.tokenHash, tokenHash(token)));
  if (!session) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > IDLE_MS) {
    await deps.db.delete(consoleSessions).where(eq(consoleSessions.id, session.id));
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_MS) {
    await deps.db.update(consoleSessions).set({ lastSeenAt: now }).where(eq(consoleSessions.id, session.id));
  }
  const base = { sessionId: session.id, csrf: session.csrfToken };
  if (session.operator) {
    if (!deps.settings.adminToken || session.credentialHash !== credentialHash(deps.settings.adminToken)) return null;
    return { ...base, operator: true, business: null, member: null, scope: { kind: "all" } };
  }
  if (!session.businessId || !session.memberId) return null;
  const [business] = await deps.db.select().from(businesses).where(eq(businesses.id, session.businessId));
  const member = business?.config.team.find((m) => m.id === session.memberId);
  if (!business || !member) return null;
  return { ...base, operator: false, business, member, scope: memberScope(business.config, business.id, member.id) };
}

/** Sign-out: the session row goes, so the cookie opens nothing even if kept. */
export async function endSession(deps: Deps, sessionId: string): Promise<void> {
  await deps.db.delete(consoleSessions).where(and(eq(consoleSessions.id, sessionId)));
}
