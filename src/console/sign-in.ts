import { and, count, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { businesses, signInCodes } from "../db/schema/index.ts";
import type { Member } from "../domain/business-config.ts";
import { signInCodeText } from "../domain/copy/sign-in.ts";
import { toE164 } from "../domain/phone.ts";
import type { Deps } from "../core/deps.ts";
import type { BusinessRow } from "../core/records.ts";
import { queueMessage, transact } from "../core/transact.ts";
import { sha256Hex, timingSafeEqual } from "../adapters/inbound/crypto.ts";

// Console sign-in by a code texted to a team member's phone (CONTRACT §11): hashed, valid
// CODE_MINUTES, MAX_TRIES wrong answers, and a limited number of codes per phone and per address.

export const CODE_MINUTES = 10;
export const MAX_TRIES = 5;
/** Codes one phone may be sent, and one address may ask for, within RATE_WINDOW_MS. */
export const CODES_PER_PHONE = 3;
export const CODES_PER_IP = 10;
export const RATE_WINDOW_MS = 15 * 60_000;

/** A business and the member of its team who holds a phone. */
export interface Membership {
  business: BusinessRow;
  member: Member;
}

/** Every team membership of a phone, businesses by slug (the first is where a sign-in lands). */
export async function membershipsOf(deps: Deps, phone: string): Promise<Membership[]> {
  const rows = await deps.db.select().from(businesses).orderBy(businesses.slug);
  return rows.flatMap((business) => business.config.team.filter((m) => m.phone === phone).map((member) => ({ business, member })));
}

export type CodeRequest = { kind: "sent"; phone: string } | { kind: "invalid" } | { kind: "rate-limited" };

/** Six random digits, uniformly (rejection sampling keeps the modulo unbiased). */
function randomCode(): string {
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    if (buf[0]! < 4_294_000_000) return String(buf[0]! % 1_000_000).padStart(6, "0");
  }
}

const hashOf = (id: string, code: string) => sha256Hex(`sign-in:v1:${id}:${code}`);

/**
 * Texts a code to `rawPhone` when it belongs to a team member. A phone on no team is answered
 * like one on a team (nobody learns who is), but its request still counts against the limits.
 */
export async function requestCode(deps: Deps, rawPhone: string, ip: string): Promise<CodeRequest> {
  const phone = toE164(rawPhone.trim());
  if (!phone) return { kind: "invalid" };
  const now = deps.clock.now();
  const since = new Date(now.getTime() - RATE_WINDOW_MS);
  const [byPhone] = await deps.db.select({ n: count() }).from(signInCodes).where(and(eq(signInCodes.phone, phone), gt(signInCodes.createdAt, since)));
  const [byIp] = await deps.db.select({ n: count() }).from(signInCodes).where(and(eq(signInCodes.ip, ip), gt(signInCodes.createdAt, since)));
  if ((byPhone?.n ?? 0) >= CODES_PER_PHONE || (byIp?.n ?? 0) >= CODES_PER_IP) return { kind: "rate-limited" };

  const [first] = await membershipsOf(deps, phone);
  const id = crypto.randomUUID();
  const code = randomCode();
  await transact(deps, async (work) => {
    // An earlier code stops working when a new one is sent: only the latest text counts.
    await work.tx.update(signInCodes).set({ usedAt: work.now }).where(and(eq(signInCodes.phone, phone), isNull(signInCodes.usedAt)));
    await work.tx.insert(signInCodes).values({
      id, phone, ip, codeHash: hashOf(id, code), createdAt: work.now, expiresAt: new Date(work.now.getTime() + CODE_MINUTES * 60_000),
    });
    if (!first) return;
    await queueMessage(work, {
      businessId: first.business.id,
      leadId: null,
      memberId: first.member.id,
      to: phone,
      channel: "sms",
      body: signInCodeText({ code, businessName: first.business.config.name, minutes: CODE_MINUTES }),
      purpose: "sign-in",
      key: `sign-in:${id}`,
    });
  });
  return { kind: "sent", phone };
}

/** How a failed operator sign-in is kept in sign_in_codes: no phone, no code, counted per address. */
const OPERATOR_ATTEMPT = "(operator)";

/**
 * Whether an address may try the admin token now: its failed tries and the codes it asked for
 * share the per-address limit, so the token cannot be guessed faster than codes can.
 */
export async function mayTryOperator(deps: Deps, ip: string): Promise<boolean> {
  const since = new Date(deps.clock.now().getTime() - RATE_WINDOW_MS);
  const [byIp] = await deps.db.select({ n: count() }).from(signInCodes).where(and(eq(signInCodes.ip, ip), gt(signInCodes.createdAt, since)));
  return (byIp?.n ?? 0) < CODES_PER_IP;
}

/** Records a wrong admin token from `ip` (see mayTryOperator). */
export async function recordOperatorFailure(deps: Deps, ip: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.insert(signInCodes).values({ phone: OPERATOR_ATTEMPT, ip, codeHash: "", createdAt: now, expiresAt: now, usedAt: now });
}

export type CodeCheck = { kind: "ok"; membership: Membership } | { kind: "wrong"; triesLeft: number } | { kind: "expired" } | { kind: "invalid" };

/** Checks a code against the phone's latest one; each wrong answer uses one of its MAX_TRIES. */
export async function checkCode(deps: Deps, rawPhone: string, rawCode: string): Promise<CodeCheck> {
  const phone = toE164(rawPhone.trim());
  const code = rawCode.replace(/\s/g, "");
  if (!phone || !/^\d{6}$/.test(code)) return { kind: "invalid" };
  const now = deps.clock.now();
  // Counting the try first, in one statement, so parallel guesses cannot share one try.
  const [row] = await deps.db
    .update(signInCodes)
    .set({ attempts: sql`${signInCodes.attempts} + 1` })
    .where(
      and(
        eq(signInCodes.id, sql`(select id from ${signInCodes} where ${signInCodes.phone} = ${phone} order by ${signInCodes.createdAt} desc limit 1)`),
        isNull(signInCodes.usedAt),
        gt(signInCodes.expiresAt, now),
        lt(signInCodes.attempts, MAX_TRIES),
      ),
    )
    .returning();
  if (!row) return { kind: "expired" };
  if (!(await timingSafeEqual(hashOf(row.id, code), row.codeHash))) return { kind: "wrong", triesLeft: MAX_TRIES - row.attempts };
  const [used] = await deps.db.update(signInCodes).set({ usedAt: now }).where(and(eq(signInCodes.id, row.id), isNull(signInCodes.usedAt))).returning();
  const [membership] = used ? await membershipsOf(deps, phone) : [];
  return membership ? { kind: "ok", membership } : { kind: "expired" };
}
