import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { lockLead } from "../core/lead-lock.ts";
import { qaWeekProgress } from "../core/qa-week.ts";
import { toApiLead, type BusinessRow, type LeadEventRow, type LeadRow } from "../core/records.ts";
import { recordEvent, transact } from "../core/transact.ts";
import type { Db } from "../db/client.ts";
import { leadEvents, leads, qaReviews } from "../db/schema/index.ts";
import { NotAHandoffOfWeek } from "../domain/errors.ts";
import { leadClass } from "../domain/escalation-policy.ts";
import { isIsoWeek, isoWeekOf, isoWeekRange, weeksEndingWith, type IsoWeekRange } from "../domain/iso-week.ts";
import { qaOf } from "../domain/qa-config.ts";
import { QA_ANSWERS, QA_QUESTIONS, qaEvidence, type QaAnswer, type QaQuestion } from "../domain/qa-evidence.ts";
import { priorityReasons, qaSample } from "../domain/qa-sample.ts";
import { AppError } from "../errors.ts";

/** The ISO week asked for (default: the current one in the business's zone); 400 naming `week` when it is none. */
export function qaWeekRange(business: BusinessRow, week: string | undefined, now: Date): IsoWeekRange {
  const zone = business.config.timezone;
  const wanted = week ?? isoWeekOf(now, zone);
  if (!isIsoWeek(wanted)) {
    throw new AppError("validation_failed", "The week is invalid.", [{ path: "week", message: "not an ISO week between 2000 and 2100: use YYYY-Www, e.g. 2026-W49" }]);
  }
  return isoWeekRange(wanted, zone);
}

/** A stored review as the API shows it. */
export interface QaReviewView {
  week: string;
  reviewer: string;
  answers: Record<QaQuestion, QaAnswer>;
  note: string | null;
  reviewedAt: string;
}

const reviewView = (r: typeof qaReviews.$inferSelect): QaReviewView => ({
  week: r.week,
  reviewer: r.reviewer,
  answers: r.answers,
  note: r.note,
  reviewedAt: r.reviewedAt.toISOString(),
});

/** The week's handoffs with what makes each a priority (CONTRACT §12): the few columns the draw needs, not whole rows. */
async function handoffsOf(db: Db, business: BusinessRow, range: IsoWeekRange) {
  const rows = await db
    .select({
      id: leads.id,
      urgency: leads.urgency,
      opportunity: leads.opportunity,
      leadType: leads.leadType,
      source: leads.source,
      rejected: sql<boolean>`${leads.rejections} <> '[]'::jsonb`,
      // Written out in full: drizzle leaves columns unqualified in a single-table select, and "id" would be the event's.
      escalated: sql<boolean>`exists (select 1 from lead_events e where e.lead_id = "leads"."id" and e.type = 'escalated')`,
    })
    .from(leads)
    .where(and(eq(leads.businessId, business.id), gte(leads.firstOfferedAt, range.start), lt(leads.firstOfferedAt, range.end)));
  return rows.map((r) => ({
    id: r.id,
    urgent: leadClass(r) === "urgent",
    rejected: Boolean(r.rejected),
    escalated: Boolean(r.escalated),
    missedCall: r.source === "missed_call",
  }));
}

/** `GET /api/qa`: the week's sample, each handoff with its timeline, evidence and the answers so far. */
export async function qaWeek(deps: Deps, business: BusinessRow, week: string | undefined) {
  const now = deps.clock.now();
  const range = qaWeekRange(business, week, now);
  const perWeek = qaOf(business.config).perWeek;
  const candidates = await handoffsOf(deps.db, business, range);
  const sample = qaSample(candidates, business.slug, range.week, perWeek);
  const ids = sample.map((s) => s.id);
  const rows = ids.length ? await deps.db.select().from(leads).where(inArray(leads.id, ids)) : [];
  const events = ids.length ? await deps.db.select().from(leadEvents).where(inArray(leadEvents.leadId, ids)).orderBy(asc(leadEvents.id)) : [];
  const reviews = ids.length
    ? await deps.db.select().from(qaReviews).where(and(inArray(qaReviews.leadId, ids), eq(qaReviews.week, range.week))).orderBy(asc(qaReviews.reviewedAt))
    : [];
  const reviewed = await qaWeekProgress(deps.db, business.id, range);
  return {
    week: range.week,
    from: range.start.toISOString(),
    to: range.end.toISOString(),
    perWeek,
    handoffs: candidates.length,
    reviewed: reviewed.reviewed,
    items: sample.map((s) => qaItem(business, rows.find((r) => r.id === s.id)!, events.filter((e) => e.leadId === s.id), reviews.filter((r) => r.leadId === s.id), priorityReasons(s), now)),
  };
}

function qaItem(business: BusinessRow, lead: LeadRow, events: LeadEventRow[], reviews: (typeof qaReviews.$inferSelect)[], priority: string[], now: Date) {
  return {
    lead: toApiLead(lead, business),
    priority,
    timeline: events.map((e) => ({ at: e.at.toISOString(), type: e.type, actor: e.actor, detail: e.detail })),
    evidence: qaEvidence(lead, events, business.config, now),
    reviews: reviews.map(reviewView),
  };
}

export interface QaReviewInput {
  week: string;
  reviewer: string;
  answers: Record<QaQuestion, QaAnswer>;
  note?: string | undefined;
}

/**
 * `POST /api/qa/:leadId`: stores one reviewer's answers about a handoff of `week` (replacing
 * that reviewer's earlier ones), records `qa_reviewed` in the lead's history and announces
 * `qa.reviewed` with `{ lead, review }`. Any handoff of the week may be reviewed, in the sample
 * or not (the SOP asks for at least five); a lead that is no handoff of that week is refused
 * (NotAHandoffOfWeek, 409), since counting it there would make the week look reviewed.
 */
export async function reviewHandoff(deps: Deps, leadId: string, input: QaReviewInput) {
  return transact(deps, async (work) => {
    const { lead, business } = await lockLead(work, leadId);
    const range = qaWeekRange(business, input.week, work.now);
    const handoffWeek = lead.firstOfferedAt ? isoWeekOf(lead.firstOfferedAt, business.config.timezone) : null;
    if (handoffWeek !== range.week) throw new NotAHandoffOfWeek(range.week, handoffWeek);
    const values = {
      businessId: business.id,
      leadId: lead.id,
      week: range.week,
      reviewer: input.reviewer.trim(),
      answers: input.answers,
      note: input.note?.trim() || null,
      reviewedAt: work.now,
    };
    const [row] = await work.tx
      .insert(qaReviews)
      .values(values)
      .onConflictDoUpdate({ target: [qaReviews.leadId, qaReviews.week, qaReviews.reviewer], set: { answers: values.answers, note: values.note, reviewedAt: values.reviewedAt } })
      .returning();
    const review = reviewView(row!);
    const member = business.config.team.find((m) => m.id === values.reviewer);
    await recordEvent(work, lead.id, "qa_reviewed", member ? `member:${member.id}` : "api", { ...review }, { review });
    return { lead: toApiLead(lead, business), review };
  });
}

/** Counts of each answer. */
export type AnswerCounts = Record<QaAnswer, number>;
const noAnswers = (): AnswerCounts => ({ yes: 0, no: 0, unsure: 0 });
const byQuestion = () => Object.fromEntries(QA_QUESTIONS.map((q) => [q, noAnswers()])) as Record<QaQuestion, AnswerCounts>;

/**
 * `GET /api/qa/summary`: answers by question for each of the last `weeks` ISO weeks (the current
 * one last) and over all of them, with each week's handoffs, target (min(perWeek, handoffs)) and
 * reviewed handoffs. Every review counts (two reviewers of one handoff: two sets of answers).
 */
export async function qaSummary(deps: Deps, business: BusinessRow, weeks: number) {
  const zone = business.config.timezone;
  const perWeek = qaOf(business.config).perWeek;
  const names = weeksEndingWith(isoWeekOf(deps.clock.now(), zone), weeks, zone);
  const rows = await deps.db
    .select({ week: qaReviews.week, answers: qaReviews.answers, leadId: qaReviews.leadId })
    .from(qaReviews)
    .where(and(eq(qaReviews.businessId, business.id), inArray(qaReviews.week, names)));
  const first = isoWeekRange(names[0]!, zone).start;
  const last = isoWeekRange(names.at(-1)!, zone).end;
  const handoffRows = await deps.db
    .select({ at: leads.firstOfferedAt })
    .from(leads)
    .where(and(eq(leads.businessId, business.id), gte(leads.firstOfferedAt, first), lt(leads.firstOfferedAt, last)));
  const handoffs = new Map<string, number>();
  for (const h of handoffRows) if (h.at) handoffs.set(isoWeekOf(h.at, zone), (handoffs.get(isoWeekOf(h.at, zone)) ?? 0) + 1);
  const totals = byQuestion();
  const out = names.map((week) => {
    const answers = byQuestion();
    const ofWeek = rows.filter((r) => r.week === week);
    for (const r of ofWeek) {
      for (const q of QA_QUESTIONS) {
        const a = r.answers[q];
        if (!(QA_ANSWERS as readonly string[]).includes(a)) continue;
        answers[q][a]++;
        totals[q][a]++;
      }
    }
    const n = handoffs.get(week) ?? 0;
    return { week, handoffs: n, target: Math.min(perWeek, n), reviewed: new Set(ofWeek.map((r) => r.leadId)).size, reviews: ofWeek.length, answers };
  });
  return { weeks: out, totals };
}
