import { and, eq, inArray, lt, not, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { inboundEvents, webhookRejections } from "../db/schema/index.ts";
import { cleanJson, cleanText } from "../domain/storable-text.ts";
import { redactQueryParams } from "../errors.ts";
import { sha256Hex } from "../adapters/inbound/crypto.ts";
import { INBOX_BACKOFF_CAP_MS, retryBackoffMs } from "./backoff.ts";

export interface InboundRecord {
  businessId: string | null;
  provider: string;
  idempotencyKey: string;
  rawBody: string;
  headers: Headers;
  status?: "received" | "ignored" | "malformed";
  /** Pulled from the provider's API by reconciliation rather than pushed (default: a webhook). */
  origin?: "webhook" | "reconciliation";
  now: Date;
}

/** Headers worth keeping with a payload (signatures and ids, for support); never Authorization. */
function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== "authorization" && name !== "x-vapi-secret" && name !== "cookie") kept[name] = value;
  });
  return kept;
}

/**
 * The raw body as a `text` column can hold it. A literal NUL byte (never valid inside JSON and
 * percent-encoded in a form) is kept as the six characters `\u0000`, so what arrived stays
 * readable and the row is never lost to it.
 */
function storableRawBody(rawBody: string): string {
  return rawBody.includes("\u0000") ? rawBody.replace(/\u0000/g, "\\u0000") : rawBody;
}

/** Provider event ids are unique per provider, not across the businesses an agency serves. */
export const scopedKey = (businessId: string | null, key: string) => boundedKey(businessId ? `${businessId}/${key}` : key);

/**
 * A unique key short enough for its btree index (PostgreSQL refuses entries over ~2.7 kB). Keys
 * are built from what senders post (a CallSid, a status), so a long one is kept readable at the
 * front and made unique by its hash.
 */
export function boundedKey(key: string): string {
  return key.length <= 200 ? key : `${key.slice(0, 120)}#${sha256Hex(key)}`;
}

/**
 * Stores a verified webhook's raw payload before the 2xx. Returns the new row's id, or null
 * when the provider event id was seen before (a redelivery: answer 200, do nothing).
 */
export async function recordInbound(db: Db, record: InboundRecord): Promise<string | null> {
  const [row] = await db
    .insert(inboundEvents)
    .values({
      businessId: record.businessId,
      provider: record.provider,
      idempotencyKey: scopedKey(record.businessId, record.idempotencyKey),
      rawBody: storableRawBody(record.rawBody),
      headers: cleanJson(keptHeaders(record.headers)),
      status: record.status ?? "received",
      origin: record.origin ?? "webhook",
      receivedAt: record.now,
    })
    .onConflictDoNothing({ target: inboundEvents.idempotencyKey })
    .returning({ id: inboundEvents.id });
  return row?.id ?? null;
}

/** A forged or unverifiable webhook stores nothing but this count. */
export async function countRejection(db: Db, business: string, provider: string, reason: string, now: Date): Promise<void> {
  await db
    .insert(webhookRejections)
    .values({ business: cleanText(business).slice(0, 200), provider, reason, count: 1, lastAt: now })
    .onConflictDoUpdate({
      target: [webhookRejections.business, webhookRejections.provider, webhookRejections.reason],
      set: { count: sql`${webhookRejections.count} + 1`, lastAt: now },
    });
}

/** How long a claimed row belongs to its process before another may take it over (Settings.inboxLeaseMs). */
export const DEFAULT_INBOX_LEASE_MS = 60_000;

/**
 * Claims an inbound event for processing. `processing` rows older than the lease belonged to a
 * process that died mid-way and are claimable again; the processing itself is idempotent.
 */
export async function claimInbound(db: Db, id: string, now: Date, leaseMs = DEFAULT_INBOX_LEASE_MS) {
  const [row] = await db
    .update(inboundEvents)
    .set({ status: "processing", attempts: sql`${inboundEvents.attempts} + 1`, processedAt: now })
    .where(
      and(
        eq(inboundEvents.id, id),
        or(
          inArray(inboundEvents.status, ["received", "failed"]),
          and(eq(inboundEvents.status, "processing"), lt(inboundEvents.processedAt, new Date(now.getTime() - leaseMs))),
        ),
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * Claims up to `limit` stored webhooks of these providers that no process has tried yet, oldest
 * first, in one statement (the `handoff worker` claim loop): the same effects as claimInbound
 * (processing, attempts + 1, processed_at = now) on each. `FOR UPDATE SKIP LOCKED` lets any
 * number of workers claim at once, each row going to one of them. Rows tried before (failed,
 * abandoned past the lease, or put back to wait, as a Retell `call_ended` waits for its analysis)
 * are the inbox sweep's, with its backoff. Returned oldest first.
 */
export async function claimReceivedInbound(db: Db, providers: string[], limit: number, now: Date): Promise<ClaimedInboundRow[]> {
  const oldest = db
    .select({ id: inboundEvents.id })
    .from(inboundEvents)
    .where(and(eq(inboundEvents.status, "received"), eq(inboundEvents.attempts, 0), inArray(inboundEvents.provider, providers)))
    .orderBy(inboundEvents.receivedAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(inboundEvents)
    .set({ status: "processing", attempts: sql`${inboundEvents.attempts} + 1`, processedAt: now })
    .where(inArray(inboundEvents.id, oldest))
    .returning();
  // RETURNING keeps no order.
  return rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/** An inbound_events row as a claim returns it: processing, attempts counted. */
export type ClaimedInboundRow = typeof inboundEvents.$inferSelect;

/** Marks an inbound event done (processed, ignored, superseded) or failed with why. */
export async function finishInbound(
  db: Db,
  id: string,
  result: { status: "processed" | "superseded" | "failed" | "received"; leadId?: string | null; error?: string; now: Date },
): Promise<void> {
  await db
    .update(inboundEvents)
    .set({
      status: result.status,
      leadId: result.leadId ?? null,
      // Cleaned after the cut, which may split a surrogate pair: recording a failure must not fail.
      lastError: result.error === undefined ? null : cleanText(redactQueryParams(result.error).slice(0, 2_000)),
      processedAt: result.now,
    })
    .where(eq(inboundEvents.id, id));
}

/**
 * On the embedded database only this process can be processing anything (the data directory
 * is locked), so rows left `processing` belong to a process that died: hand them back now
 * rather than after the lease.
 */
export async function releaseAbandonedInbound(db: Db): Promise<number> {
  const rows = await db
    .update(inboundEvents)
    .set({ status: "received" })
    .where(eq(inboundEvents.status, "processing"))
    .returning({ id: inboundEvents.id });
  return rows.length;
}

/**
 * How long a failed event waits before its next try (core/backoff.ts, up to 15 min). Retried
 * until done, but a payload that keeps failing does not call an LLM every few seconds forever.
 */
export const inboxRetryBackoffMs = (attempts: number) => retryBackoffMs(attempts, INBOX_BACKOFF_CAP_MS);

/**
 * Inbound events of these providers still to process: never finished, failed, or abandoned
 * mid-way. Never-tried rows of `untriedLeftOut` are left out: a claim loop takes those
 * (claimReceivedInbound), and a backlog of them must not hide the retries behind it.
 */
export async function pendingInbound(
  db: Db,
  now: Date,
  providers: string[],
  leaseMs = DEFAULT_INBOX_LEASE_MS,
  untriedLeftOut: string[] = [],
): Promise<{ id: string; provider: string }[]> {
  const rows = await db
    .select({
      id: inboundEvents.id,
      provider: inboundEvents.provider,
      status: inboundEvents.status,
      attempts: inboundEvents.attempts,
      processedAt: inboundEvents.processedAt,
    })
    .from(inboundEvents)
    .where(
      and(
        inArray(inboundEvents.status, ["received", "failed", "processing"]),
        inArray(inboundEvents.provider, providers),
        untriedLeftOut.length
          ? not(and(eq(inboundEvents.status, "received"), eq(inboundEvents.attempts, 0), inArray(inboundEvents.provider, untriedLeftOut))!)
          : undefined,
      ),
    )
    .orderBy(inboundEvents.receivedAt)
    .limit(200);
  return rows
    .filter((r) => {
      const last = r.processedAt?.getTime() ?? 0;
      if (r.status === "processing") return last < now.getTime() - leaseMs;
      if (r.status === "failed") return last <= now.getTime() - inboxRetryBackoffMs(r.attempts);
      return true;
    })
    .map(({ id, provider }) => ({ id, provider }));
}
