import { z } from "@hono/zod-openapi";
import { QA_ANSWERS, QA_QUESTIONS } from "../../domain/qa-evidence.ts";
import { instant, Lead, LeadEvent } from "./schemas.ts";

// What the QA routes answer (CONTRACT §12), built by admin/qa.ts.

const answer = z.enum(QA_ANSWERS);
const questionsOf = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(QA_QUESTIONS.map((q) => [q, value])) as Record<(typeof QA_QUESTIONS)[number], T>);

export const QaAnswers = questionsOf(answer).openapi("QaAnswers");

export const QaReview = z
  .object({ week: z.string().openapi({ example: "2026-W49" }), reviewer: z.string(), answers: QaAnswers, note: z.string().nullable(), reviewedAt: instant })
  .openapi("QaReview");

export const QaItem = z
  .object({
    lead: Lead,
    priority: z
      .array(z.enum(["urgent", "rejected", "escalated", "missed_call"]))
      .openapi({ description: "Why it was sampled first; empty for a handoff drawn at random." }),
    timeline: z.array(LeadEvent).openapi({ description: "The lead's history, oldest first." }),
    evidence: questionsOf(z.array(z.string())).openapi("QaEvidence", {
      description: "For each question, facts from the history a reviewer can check, e.g. `accepted 22 min after offer, window 15 min, escalated once to Omar Lee`.",
    }),
    reviews: z.array(QaReview).openapi({ description: "The answers so far for this week, one per reviewer, oldest first." }),
  })
  .openapi("QaItem");

export const QaWeek = z
  .object({
    week: z.string().openapi({ example: "2026-W49" }),
    from: instant.openapi({ description: "Monday 00:00 of the week in the business's zone." }),
    to: instant.openapi({ description: "The next Monday 00:00 (exclusive)." }),
    perWeek: z.number().int(),
    handoffs: z.number().int().openapi({ description: "Leads first offered in the week." }),
    reviewed: z.number().int().openapi({ description: "Handoffs of the week with at least one review." }),
    items: z.array(QaItem).openapi({ description: "min(perWeek, handoffs): urgent, rejected, escalated and missed-call handoffs first, then a draw seeded by (business, week)." }),
  })
  .openapi("QaWeek");

export const QaReviewed = z.object({ lead: Lead, review: QaReview }).openapi("QaReviewed");

const counts = z.object({ yes: z.number().int(), no: z.number().int(), unsure: z.number().int() });

export const QaSummary = z
  .object({
    weeks: z.array(
      z.object({
        week: z.string(),
        handoffs: z.number().int(),
        target: z.number().int().openapi({ description: "min(perWeek, handoffs): the reviews the SOP asks for." }),
        reviewed: z.number().int().openapi({ description: "Handoffs with at least one review." }),
        reviews: z.number().int(),
        answers: questionsOf(counts),
      }),
    ),
    totals: questionsOf(counts),
  })
  .openapi("QaSummary");
