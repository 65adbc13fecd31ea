import { and, asc, desc, eq, ilike, like, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { businesses, leadEvents, leads, outboundMessages } from "../db/schema/index.ts";
import type { LeadState } from "../domain/lead.ts";
import { LEAD_REF_EXAMPLE, parseLeadRef } from "../domain/lead-ref.ts";
import { decodeCursor, encodeCursor, escapeLike } from "../domain/page-cursor.ts";
import { LeadNotFound } from "../domain/errors.ts";
import { AppError } from "../errors.ts";
import { loadBusiness } from "./businesses.ts";
import { toApiLead } from "../core/records.ts";

/**
 * The lead id a route was given as a UUID or as `business:code` (CONTRACT §8). 400 for anything
 * else, naming `what` (the parameter); 404 for an unknown business or code. A UUID is returned
 * as it is: the verb that reads the lead answers 404 for an unknown one.
 */
/**
 * The id of the lead `ref` names: a UUID or `business:code`. With `businessId`, only a lead of
 * that business is found (an API key's scope); another's is LeadNotFound.
 */
export async function resolveLeadRef(db: Db, ref: string, what = "lead id", businessId?: string): Promise<string> {
  const parsed = parseLeadRef(ref);
  if (!parsed) {
    throw new AppError("validation_failed", `The ${what} is invalid.`, [
      { path: what, message: `not a lead: use its id (a UUID) or its business and code, e.g. ${LEAD_REF_EXAMPLE}` },
    ]);
  }
  if ("id" in parsed) {
    if (businessId === undefined) return parsed.id;
    const [own] = await db.select({ id: leads.id }).from(leads).where(and(eq(leads.id, parsed.id), eq(leads.businessId, businessId)));
    if (!own) throw new LeadNotFound(parsed.id);
    return own.id;
  }
  const business = await loadBusiness(db, parsed.slug);
  const [row] = parsed.possible
    ? await db.select({ id: leads.id }).from(leads).where(and(eq(leads.businessId, business.id), eq(leads.code, parsed.code)))
    : [];
  if (!row) throw new LeadNotFound(`${parsed.slug}:${parsed.code}`, `No lead ${parsed.slug}:${parsed.code}.`);
  return row.id;
}

export interface LeadFilter {
  business?: string;
  state?: LeadState;
  /** Phone digits or part of a name. */
  q?: string;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  limit: number;
}

/** Recent leads, newest first, optionally of one business and state. */
export async function listLeads(db: Db, filter: LeadFilter) {
  return (await leadsPage(db, filter)).leads;
}

/** One page of recent leads, newest first, and the cursor of the next page (null at the end). */
export async function leadsPage(db: Db, filter: LeadFilter) {
  if (filter.business) await loadBusiness(db, filter.business); // an unknown business is 404, not an empty list
  const where: SQL[] = [];
  if (filter.business) where.push(eq(businesses.slug, filter.business));
  if (filter.state) where.push(eq(leads.state, filter.state));
  if (filter.q) where.push(nameOrPhone(filter.q));
  if (filter.cursor) {
    const [at, code, id] = cursorKey(filter.cursor, ["number", "uuid"]);
    where.push(sql`(${leads.createdAt}, ${leads.code}, ${leads.id}) < (${at}::timestamptz, ${code}::integer, ${id}::uuid)`);
  }
  const rows = await db
    .select({ lead: leads, slug: businesses.slug })
    .from(leads)
    .innerJoin(businesses, eq(businesses.id, leads.businessId))
    .where(and(...where))
    .orderBy(desc(leads.createdAt), desc(leads.code), desc(leads.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1)?.lead;
  return {
    leads: page.map((r) => toApiLead(r.lead, { slug: r.slug })),
    nextCursor: rows.length > filter.limit && last ? encodeCursor([last.createdAt.toISOString(), last.code, last.id]) : null,
  };
}

/** Leads whose phone holds the digits typed (three or more) or whose name holds the text typed. */
function nameOrPhone(q: string): SQL {
  const digits = q.replace(/\D/g, "");
  const name = ilike(leads.fullName, `%${escapeLike(q.trim())}%`);
  return digits.length >= 3 ? or(name, like(leads.phone, `%${digits}%`))! : name;
}

/** The key a listing's cursor holds; 400 naming `cursor` when it is not one. */
function cursorKey(cursor: string, shape: ("number" | "uuid")[]) {
  const key = decodeCursor(cursor, shape);
  if (!key) {
    throw new AppError("validation_failed", "The query is invalid.", [
      { path: "cursor", message: "not a cursor of this listing: pass the nextCursor of the previous page" },
    ]);
  }
  return key;
}

/** One lead with its whole history. */
export async function getLead(db: Db, id: string) {
  const [row] = await db
    .select({ lead: leads, slug: businesses.slug })
    .from(leads)
    .innerJoin(businesses, eq(businesses.id, leads.businessId))
    .where(eq(leads.id, id));
  if (!row) throw new LeadNotFound(id);
  const events = await db.select().from(leadEvents).where(eq(leadEvents.leadId, id)).orderBy(asc(leadEvents.id));
  return toApiLead(row.lead, { slug: row.slug }, events);
}

/** Every outbound SMS and call, as the outbox recorded it. */
export async function listMessages(db: Db, filter: { lead?: string; business?: string; limit: number }) {
  return (await messagesPage(db, filter)).messages;
}

/** One page of outbound messages, newest first, and the cursor of the next page (null at the end). */
export async function messagesPage(db: Db, filter: { lead?: string; business?: string; cursor?: string; limit: number }) {
  if (filter.business) await loadBusiness(db, filter.business);
  const where: SQL[] = [];
  if (filter.lead) where.push(eq(outboundMessages.leadId, filter.lead));
  if (filter.business) where.push(eq(businesses.slug, filter.business));
  if (filter.cursor) {
    const [at, id] = cursorKey(filter.cursor, ["uuid"]);
    where.push(sql`(${outboundMessages.createdAt}, ${outboundMessages.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({ m: outboundMessages, slug: businesses.slug })
    .from(outboundMessages)
    .innerJoin(businesses, eq(businesses.id, outboundMessages.businessId))
    .where(and(...where))
    .orderBy(desc(outboundMessages.createdAt), desc(outboundMessages.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1)?.m;
  const messages = page.map(({ m, slug }) => ({
    id: m.id,
    business: slug,
    leadId: m.leadId,
    memberId: m.memberId,
    to: m.to,
    channel: m.channel,
    body: m.body,
    purpose: m.purpose,
    status: m.status,
    statusReason: m.statusReason,
    providerId: m.providerId,
    attempts: m.attempts,
    createdAt: m.createdAt.toISOString(),
    /** Held until then (a customer text during quiet hours); null when it went at once. */
    sendAfter: m.sendAfter?.toISOString() ?? null,
    sentAt: m.sentAt?.toISOString() ?? null,
  }));
  const nextCursor = rows.length > filter.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null;
  return { messages, nextCursor };
}
