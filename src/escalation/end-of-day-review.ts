import { TZDate } from "@date-fns/tz";
import { and, eq, inArray, isNull, lte, or } from "drizzle-orm";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import type { Executor } from "../db/client.ts";
import { leads } from "../db/schema/index.ts";
import type { BusinessConfig } from "../domain/business-config.ts";
import { businessDate, nextEndOfDayReview } from "../domain/business-time.ts";
import { formatDueTime } from "../domain/copy/due-time.ts";
import { missingFields, OPEN_STATES } from "../domain/lead.ts";
import { humanField } from "../domain/copy/offer.ts";
import { AppError } from "../errors.ts";
import { memberById } from "../messaging/notify.ts";

/** Listed first in the digest when not every code fits: the work that can least afford to wait. */
const URGENCY_RANK: Record<string, number> = { emergency: 0, active_loss: 1, standard: 2, low: 3 };

/** One lead in the end-of-day review, with why it is there. */
export interface ReviewItem {
  id: string;
  code: number;
  state: string;
  ownerId: string | null;
  ownerName: string | null;
  urgency: string | null;
  /** The owner's recorded next action, if any (NEXT). */
  nextAction: string | null;
  nextActionDueAt: string | null;
  lastActionAt: string | null;
  why: string;
}

/** The review of one business for one date (GET /api/reviews/end-of-day). */
export interface EndOfDayReview {
  business: string;
  date: string;
  /** The instant the list was judged at: now for today, that day's review time for a past date. */
  asOf: string;
  /** When that date's review is (or was) sent; null when the date is not a business day. */
  reviewAt: string | null;
  count: number;
  leads: ReviewItem[];
}

/**
 * Open leads with no recorded next action as of `asOf` (SOP "End of day"): nothing due after
 * `asOf`, and no action recorded on `asOf`'s business date (or still with intake). A next action
 * the owner recorded (NEXT) and due later, tomorrow say, is exactly what the SOP asks for: the
 * lead is not listed. One whose due time passed with nothing done since is. Most pressing first.
 */
export async function leadsToReview(db: Executor, business: BusinessRow, asOf: Date): Promise<ReviewItem[]> {
  const config = business.config;
  const rows = await db
    .select()
    .from(leads)
    .where(
      and(
        eq(leads.businessId, business.id),
        inArray(leads.state, [...OPEN_STATES]),
        lte(leads.createdAt, asOf),
        or(isNull(leads.nextActionDueAt), lte(leads.nextActionDueAt, asOf)),
      ),
    );
  const today = businessDate(config, asOf);
  // A lead with intake has no owner and so no next action, whatever happened to it today (a
  // rejection records an action, yet leaves the lead with nobody): it is always reviewed.
  const actedToday = (lead: LeadRow) =>
    lead.state !== "intake" && lead.lastActionAt !== null && lead.lastActionAt <= asOf && businessDate(config, lead.lastActionAt) === today;
  return rows
    .filter((lead) => !actedToday(lead))
    .sort((a, b) => (URGENCY_RANK[a.urgency ?? ""] ?? 4) - (URGENCY_RANK[b.urgency ?? ""] ?? 4) || a.code - b.code)
    .map((lead) => ({
      id: lead.id,
      code: lead.code,
      state: lead.state,
      ownerId: lead.ownerId,
      ownerName: memberById(config, lead.ownerId)?.name ?? null,
      urgency: lead.urgency,
      nextAction: lead.nextAction,
      nextActionDueAt: lead.nextActionDueAt?.toISOString() ?? null,
      lastActionAt: lead.lastActionAt?.toISOString() ?? null,
      why: whyListed(config, lead, asOf),
    }));
}

/** Why a lead is in the review, in words an office manager reads at a glance. */
function whyListed(config: BusinessConfig, lead: LeadRow, asOf: Date): string {
  const reasons: string[] = [];
  const owner = memberById(config, lead.ownerId)?.name ?? lead.ownerId;
  if (lead.state === "intake") {
    const missing = missingFields(fieldsOf(lead)).map(humanField);
    reasons.push(missing.length ? `still with intake, missing ${missing.join(", ")}` : "still with intake");
  } else if (lead.state === "offered") {
    reasons.push(`offered to ${owner}, not accepted`);
  } else {
    reasons.push(`accepted by ${owner}`);
  }
  const due = lead.nextActionDueAt ? formatDueTime(lead.nextActionDueAt, { timeZone: config.timezone, now: asOf }) : null;
  if (lead.nextAction && due) reasons.push(`next action "${lead.nextAction}" was due ${due}`);
  else reasons.push(due ? `next action was due ${due}` : "no next action due");
  if (lead.state !== "intake") reasons.push("no action recorded today");
  return reasons.join("; ");
}

/** The first instant of a business date (YYYY-MM-DD) in the business's zone. */
function startOfBusinessDate(config: Pick<BusinessConfig, "timezone">, date: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, 0, 0, config.timezone).getTime());
}

/** The review instant on a business date, or null when that date has none (not a business day). */
function reviewAtOn(config: BusinessConfig, date: string): Date | null {
  const at = nextEndOfDayReview(config, new Date(startOfBusinessDate(config, date).getTime() - 1), config.escalation.endOfDayReview.before);
  return businessDate(config, at) === date ? at : null;
}

const isoDate = z.iso.date();

/**
 * The end-of-day review list of a business for `date` (default: today in its zone). Today is
 * judged as of now; a past date as of its review time (or its last instant), with each lead's
 * current record: the history of when a due time was set is not kept, only the latest one.
 */
export async function endOfDayReview(deps: Deps, business: BusinessRow, date?: string): Promise<EndOfDayReview> {
  const config = business.config;
  const now = deps.clock.now();
  const today = businessDate(config, now);
  const day = date ?? today;
  if (!isoDate.safeParse(day).success) throw new AppError("validation_failed", "The query is invalid.", [{ path: "date", message: "use YYYY-MM-DD" }]);
  if (day > today) throw new AppError("validation_failed", "The query is invalid.", [{ path: "date", message: `${day} is after today (${today}) in ${config.timezone}` }]);
  const reviewAt = reviewAtOn(config, day);
  const endOfDay = new Date(startOfBusinessDate(config, nextDate(day)).getTime() - 1);
  const asOf = day === today ? now : (reviewAt ?? endOfDay);
  const items = await leadsToReview(deps.db, business, asOf);
  return { business: business.slug, date: day, asOf: asOf.toISOString(), reviewAt: reviewAt?.toISOString() ?? null, count: items.length, leads: items };
}

function nextDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return next.toISOString().slice(0, 10);
}
