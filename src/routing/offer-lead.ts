import { eq, sql } from "drizzle-orm";
import { leads } from "../db/schema/index.ts";
import type { BusinessConfig, Member } from "../domain/business-config.ts";
import { leadClass, nextActionDueAt, offerChannels } from "../domain/escalation-policy.ts";
import { missingFields } from "../domain/lead.ts";
import { offerText } from "../domain/copy/offer.ts";
import { spokenOffer } from "../domain/copy/voice.ts";
import { escalateTimer } from "../domain/timers/index.ts";
import { chooseOwner, withAwayMembers } from "../domain/routing.ts";
import { awayMemberIds } from "../core/member-status.ts";
import { noteOffered, openLeadCounts, roundRobinMemory } from "../core/member-stats.ts";
import { fieldsOf, placeOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import { queueMessage, recordEvent, scheduleTimer, type Work } from "../core/transact.ts";

/**
 * Routes a lead to exactly one owner and offers it: owner named, next action and due time set,
 * offer texted (and rung, for urgent work), escalation timer set. Returns the updated row, or
 * the row unchanged (still with intake) when nobody can take it.
 */
export async function routeAndOffer(
  work: Work,
  business: BusinessRow,
  lead: LeadRow,
  opts: { actor: string; excluding?: string[]; ownerId?: string | null; due?: Date | null } = { actor: "system" },
): Promise<LeadRow> {
  // Members who texted AWAY are skipped like unavailable ones.
  const config = withAwayMembers(business.config, await awayMemberIds(work.tx, business.id));
  const fields = fieldsOf(lead);
  const chosen = opts.ownerId ? config.team.find((m) => m.id === opts.ownerId) : undefined;
  // Counted here, in the routing transaction, only when someone has a cap.
  const openLeads = config.team.some((m) => m.maxOpen !== undefined) ? await openLeadCounts(work, business.id) : undefined;
  const decision = chosen
    ? { member: chosen, ruleIndex: null, via: "chosen by intake" }
    : chooseOwner(config, { ...fields, channel: lead.channel }, await roundRobinMemory(work, business.id), {
        at: work.now,
        excluding: opts.excluding,
        ...(openLeads && { openLeads }),
      });
  if (!decision) {
    await recordEvent(work, lead.id, "routing_failed", opts.actor, { reason: "no available member for this lead", ...atCap(config, openLeads) });
    return lead;
  }
  // Offered at the member's next opening when they are not working now; the window counts from then.
  const from = "deferUntil" in decision && decision.deferUntil ? decision.deferUntil : work.now;
  const due = opts.due && opts.due > from ? opts.due : nextActionDueAt(config, fields, from);
  return offerTo(work, business, lead, decision.member, {
    actor: opts.actor,
    due,
    heading: "NEW",
    detail: {
      via: decision.via,
      rule: decision.ruleIndex,
      ...(from > work.now && { deferredUntil: from.toISOString() }),
      ...("skipped" in decision && decision.skipped && { skipped: decision.skipped }),
    },
    sendAt: from > work.now ? from : undefined,
    pass: "pass" in decision ? decision.pass : undefined,
  });
}

/** For a routing failure's history: who was at their `maxOpen`, so "everyone is full" is visible. */
function atCap(config: BusinessConfig, openLeads: ReadonlyMap<string, number> | undefined): { atMaxOpen?: { memberId: string; open: number; maxOpen: number }[] } {
  if (!openLeads) return {};
  const full = config.team
    .filter((m) => m.maxOpen !== undefined && (openLeads.get(m.id) ?? 0) >= m.maxOpen)
    .map((m) => ({ memberId: m.id, open: openLeads.get(m.id) ?? 0, maxOpen: m.maxOpen! }));
  return full.length ? { atMaxOpen: full } : {};
}

/** Offers a lead to one named member (routing's choice, or a reassignment). */
export async function offerTo(
  work: Work,
  business: BusinessRow,
  lead: LeadRow,
  member: Member,
  opts: {
    actor: string;
    due: Date;
    heading: string;
    detail?: Record<string, unknown>;
    /** Hold the offer's texts and calls until then (the member's next opening). */
    sendAt?: Date;
    /** Routing's weighted round-robin pass for the member (domain/round-robin.ts). */
    pass?: number;
  },
): Promise<LeadRow> {
  const config = business.config;
  const fields = fieldsOf(lead);
  const missing = missingFields(fields);
  const cls = leadClass(fields);
  const channels = offerChannels(config, cls);

  const [updated] = await work.tx
    .update(leads)
    .set({
      state: "offered",
      ownerId: member.id,
      offeredTo: [member.id],
      offeredAt: work.now,
      firstOfferedAt: sql`coalesce(${leads.firstOfferedAt}, ${work.now.toISOString()}::timestamptz)`,
      acceptedAt: null,
      nextActionDueAt: opts.due,
      escalationLevel: 0,
      updatedAt: work.now,
    })
    .where(eq(leads.id, lead.id))
    .returning();
  await noteOffered(work, business.id, member.id, opts.pass);

  await recordEvent(work, lead.id, "offered", opts.actor, {
    to: member.id,
    due: opts.due.toISOString(),
    class: cls,
    channels,
    missingFields: missing,
    ...opts.detail,
  });

  const text = offerTextFor(lead, config, { due: opts.due, heading: opts.heading, now: work.now });
  const key = `offer:${lead.id}:${work.now.getTime()}:${member.id}`;
  for (const channel of channels) {
    await queueMessage(work, {
      businessId: business.id,
      leadId: lead.id,
      memberId: member.id,
      to: member.phone,
      channel,
      body: channel === "sms" ? text : spokenOffer(lead.code, text),
      purpose: "offer",
      key: `${key}:${channel}`,
      sendAfter: opts.sendAt ?? null,
    });
  }

  await scheduleTimer(work, {
    businessId: business.id,
    leadId: lead.id,
    kind: "escalate",
    dueAt: opts.due,
    key: escalateTimer.key({ leadId: lead.id, offeredAt: work.now, level: 0 }),
    payload: { level: 0, offeredAt: work.now.toISOString(), class: cls },
  });
  return updated!;
}

/** The offer SMS for a lead as it stands, its due time in the business's zone. */
export function offerTextFor(lead: LeadRow, config: BusinessConfig, opts: { due: Date; heading: string; now: Date }): string {
  return offerText({
    code: lead.code,
    urgency: lead.urgency,
    fullName: lead.fullName,
    phone: lead.phone,
    place: placeOf(lead),
    serviceType: lead.serviceType,
    summaryNotes: lead.summaryNotes,
    promisedNextStep: lead.promisedNextStep,
    dueAt: opts.due,
    timeZone: config.timezone,
    now: opts.now,
    missingFields: missingFields(fieldsOf(lead)),
    heading: opts.heading,
  });
}
