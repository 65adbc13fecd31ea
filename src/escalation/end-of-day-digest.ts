import { eq } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import type { BusinessRow } from "../core/records.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { scheduleTimer, transact, type Work } from "../core/transact.ts";
import { businesses } from "../db/schema/index.ts";
import { businessDate, isBusinessDay, nextEndOfDayReview } from "../domain/business-time.ts";
import { digestText } from "../domain/copy/digest.ts";
import { ownerDigestText } from "../domain/copy/follow-up-notices.ts";
import { endOfDayTimer, type EndOfDayPayload } from "../domain/timers/index.ts";
import { memberById, roleOrManager, textMembers } from "../messaging/notify.ts";
import { leadsToReview } from "./end-of-day-review.ts";
import type { FireOutcome } from "./fire-outcome.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/** Sets the business's next review wake-up after `after`; one per business and date. */
export async function scheduleNextReview(work: Work, business: BusinessRow, after: Date): Promise<Date> {
  const config = business.config;
  const dueAt = nextEndOfDayReview(config, after, config.escalation.endOfDayReview.before);
  const date = businessDate(config, dueAt);
  await scheduleTimer(work, {
    businessId: business.id,
    leadId: null,
    kind: "end-of-day",
    dueAt,
    key: endOfDayTimer.key({ businessId: business.id, date }),
    payload: { date },
  });
  return dueAt;
}

/** Makes sure every business has its next review scheduled (at start-up, and by the backstop). Idempotent. */
export async function scheduleEndOfDayReviews(deps: Deps): Promise<void> {
  const all = await deps.db.select().from(businesses);
  for (const business of all) {
    await transact(deps, (work) => scheduleNextReview(work, business, work.now));
  }
}

/**
 * An end-of-day wake-up: on a business day, the review role (`escalation.endOfDayReview.to`,
 * else the managers) gets one SMS digest of the open leads with no next action, keyed per
 * business and date so it goes out once. A review that wakes up on a later date (the gateway
 * was down all evening) is skipped. The next review is scheduled either way.
 */
export async function runEndOfDayReview(deps: Deps, timer: TimerRow, payload: EndOfDayPayload): Promise<FireOutcome> {
  return transact(deps, async (work) => {
    const [business] = await work.tx.select().from(businesses).where(eq(businesses.id, timer.businessId));
    if (!business) return { acted: false, reason: "business no longer exists" };
    const config = business.config;
    const date = payload.date ?? businessDate(config, timer.dueAt);
    await scheduleNextReview(work, business, new Date(Math.max(work.now.getTime(), timer.dueAt.getTime())));

    if (businessDate(config, work.now) !== date) return { acted: false, reason: `the review of ${date} woke up too late (now ${businessDate(config, work.now)})` };
    if (!isBusinessDay(config, work.now)) return { acted: false, reason: `${date} is no longer a business day` };
    const items = await leadsToReview(work.tx, business, work.now);
    if (items.length === 0) return { acted: false, reason: "every open lead has a next action" };
    await textMembers(work, business, roleOrManager(config, config.escalation.endOfDayReview.to, work.now), {
      body: digestText({ businessName: config.name, codes: items.map((i) => i.code) }),
      purpose: "digest",
      leadId: null,
      key: `digest:${business.id}:${date}`,
    });
    // Each owner of accepted leads in the list hears their own codes and how to clear them by text.
    const byOwner = new Map<string, number[]>();
    for (const item of items) {
      if (item.state !== "accepted" || !item.ownerId) continue;
      byOwner.set(item.ownerId, [...(byOwner.get(item.ownerId) ?? []), item.code]);
    }
    for (const [ownerId, codes] of byOwner) {
      const owner = memberById(config, ownerId);
      if (!owner) continue;
      await textMembers(work, business, [owner], {
        body: ownerDigestText({ codes }),
        purpose: "digest",
        leadId: codes.length === 1 ? (items.find((i) => i.code === codes[0])?.id ?? null) : null,
        key: `digest:${business.id}:${date}:owner`,
      });
    }
    return { acted: true, reason: `digest of ${items.length} lead(s) for ${date}, ${byOwner.size} owner(s) told their own` };
  });
}

/** The `end-of-day` kind: its key and payload (domain/timers/end-of-day-timer.ts), fired by runEndOfDayReview. */
export const endOfDayKind: TimerKindModule<"end-of-day"> = { ...endOfDayTimer, fire: runEndOfDayReview };
