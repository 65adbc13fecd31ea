import { index, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import type { QaAnswer, QaQuestion } from "../../domain/qa-evidence.ts";
import { businesses } from "./businesses.ts";
import { leads } from "./leads.ts";

/**
 * A QA review of one handoff (CONTRACT §12): the five answers, by whom and when, under the ISO
 * week the handoff belongs to. One row per lead, week and reviewer: a reviewer who answers again
 * replaces their answers (the history keeps every `qa_reviewed` entry).
 */
export const qaReviews = pgTable(
  "qa_reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    businessId: uuid("business_id").notNull().references(() => businesses.id),
    leadId: uuid("lead_id").notNull().references(() => leads.id),
    /** `2026-W49`, in the business's zone. */
    week: text("week").notNull(),
    /** A member id of the business, or the name of whoever reviewed (an operator). */
    reviewer: text("reviewer").notNull(),
    answers: jsonb("answers").$type<Record<QaQuestion, QaAnswer>>().notNull(),
    note: text("note"),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("qa_reviews_lead_id_week_reviewer_key").on(t.leadId, t.week, t.reviewer),
    index("qa_reviews_business_id_week_idx").on(t.businessId, t.week),
  ],
);
