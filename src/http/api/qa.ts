import { createRoute, z } from "@hono/zod-openapi";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { loadBusiness } from "../../admin/businesses.ts";
import { qaSummary, qaWeek, reviewHandoff } from "../../admin/qa.ts";
import { LEAD_REF_EXAMPLE } from "../../domain/lead-ref.ts";
import { QA_ANSWERS, QA_QUESTIONS } from "../../domain/qa-evidence.ts";
import type { AppEnv } from "../http.ts";
import { leadIdIn } from "../api-auth.ts";
import { declareRoute, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { QaReviewed, QaSummary, QaWeek } from "./qa-schemas.ts";

const week = z
  .string()
  .regex(/^\d{4}-W\d{2}$/, "use YYYY-Www, e.g. 2026-W49")
  .openapi({ example: "2026-W49", description: "An ISO week in the business's zone." });
const business = z.string().min(1).openapi({ example: "acme" });

const sample = createRoute({
  method: "get",
  path: "/api/qa",
  tags: ["Reviews"],
  summary: "The week's QA sample",
  description:
    "The SOP's weekly QA review (CONTRACT §12): min(`qa.perWeek`, n) of the week's handoffs (leads first offered in that ISO week in the business's zone), " +
    "urgent, rejected, escalated and missed-call ones first, the rest drawn at random seeded by (business, week), so the same week always gives the same sample. " +
    "Each with its timeline, evidence for the five questions, and the answers so far.",
  request: { query: z.object({ business, week: week.optional().openapi({ description: "Default: the current ISO week in the business's zone." }) }) },
  responses: {
    200: { description: "The sample.", content: { "application/json": { schema: QaWeek } } },
    ...errorResponses(400, 404),
  },
});

const answers = z.strictObject(
  Object.fromEntries(QA_QUESTIONS.map((q) => [q, z.enum(QA_ANSWERS, { message: `answer ${QA_ANSWERS.join(", ")}` })])) as Record<
    (typeof QA_QUESTIONS)[number],
    z.ZodEnum<{ yes: "yes"; no: "no"; unsure: "unsure" }>
  >,
);

const review = createRoute({
  method: "post",
  path: "/api/qa/{leadId}",
  tags: ["Reviews"],
  summary: "Review a handoff",
  description:
    "Stores a reviewer's answers to the five questions for a handoff of `week` (the same reviewer answering again replaces theirs), records `qa_reviewed` in the lead's history " +
    "and sends the `qa.reviewed` event (`data: { lead, review }`). Any handoff of the week may be reviewed, sampled or not; a lead that is no handoff of that week is refused with 409.",
  request: {
    params: z.object({ leadId: z.string().openapi({ example: LEAD_REF_EXAMPLE, param: { name: "leadId", in: "path" }, description: "The lead's id or `business:code`." }) }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              week,
              reviewer: z.string().trim().min(1, "required").max(80).openapi({ description: "A member id, or the name of whoever reviewed." }),
              answers,
              note: z.string().max(2000).optional(),
            })
            .openapi("QaReviewInput"),
        },
      },
    },
  },
  responses: {
    200: { description: "The review as stored, and the lead.", content: { "application/json": { schema: QaReviewed } } },
    ...errorResponses(400, 404, 409, 413),
  },
});

const summary = createRoute({
  method: "get",
  path: "/api/qa/summary",
  tags: ["Reviews"],
  summary: "QA answers by question, week by week",
  description: "For each of the last `weeks` ISO weeks (the current one last): handoffs, target, reviewed handoffs and the answers to each question; and the totals.",
  request: { query: z.object({ business, weeks: z.coerce.number().int().min(1).max(104).default(8).openapi({ description: "How many weeks, the current one included (default 8)." }) }) },
  responses: {
    200: { description: "The summary.", content: { "application/json": { schema: QaSummary } } },
    ...errorResponses(400, 404),
  },
});

/** The QA review routes of CONTRACT §12; a business's API key reaches its own (CONTRACT §11). */
export function qaRoutes(api: OpenAPIHono<AppEnv>): void {
  declareRoute(api, summary, async (c, { query }) => {
    const found = await loadBusiness(c.var.deps.db, query.business);
    return c.json(await qaSummary(c.var.deps, found, query.weeks));
  }, OWN_BUSINESS);
  declareRoute(api, sample, async (c, { query }) => {
    const found = await loadBusiness(c.var.deps.db, query.business);
    return c.json(await qaWeek(c.var.deps, found, query.week));
  }, OWN_BUSINESS);
  declareRoute(api, review, async (c, { params, body }) => {
    const leadId = await leadIdIn(c, params.leadId, "leadId");
    return c.json(await reviewHandoff(c.var.deps, leadId, body));
  }, OWN_BUSINESS);
}
