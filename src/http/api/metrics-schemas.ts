import { z } from "@hono/zod-openapi";
import { instant } from "./schemas.ts";

// GET /api/metrics (admin/metrics.ts leadMetrics). Seconds and percentages; null when nothing was counted.

const counts = z.record(z.string(), z.number().int());
const percentiles = z.object({ p50: z.number().nullable(), p90: z.number().nullable() });
const pct = z.number().nullable().openapi({ description: "Percent (0–100, two decimals); null when the whole is 0." });

export const MemberMetrics = z
  .object({
    memberId: z.string(),
    leads: z.number().int().openapi({ description: "Leads in the range this member owns now." }),
    accepted: z.number().int(),
    timeToAcceptSeconds: percentiles,
    acceptedWithinWindow: z.number().int(),
    acceptedWithinWindowPct: pct,
    escalations: z.number().int().openapi({ description: "Escalations away from this member." }),
    rejections: z.number().int().openapi({ description: "Rejections this member made." }),
    closed: z.number().int(),
    booked: z.number().int(),
  })
  .openapi("MemberMetrics");

export const Metrics = z
  .object({
    business: z.string(),
    from: instant,
    to: instant,
    leads: z.number().int(),
    byState: counts,
    byChannel: counts,
    bySource: counts,
    byUrgency: counts,
    timeToOfferSeconds: percentiles.openapi({ description: "First offer − came in." }),
    timeToAcceptSeconds: percentiles.openapi({ description: "Accepted − the offer it accepted." }),
    timeToAcceptDistribution: z
      .array(z.object({ upToSeconds: z.number().int().nullable(), leads: z.number().int() }))
      .openapi({ description: "Accepted leads by time to accept, non-cumulative: up to 1, 5, 15, 30 min, 1, 4, 24 h, then longer (`upToSeconds: null`)." }),
    accepted: z.number().int(),
    acceptedWithinWindow: z.number().int(),
    acceptedWithinWindowPct: pct,
    withinWindowByWeek: z
      .array(z.object({ week: z.string().openapi({ example: "2026-W49" }), accepted: z.number().int(), withinWindow: z.number().int() }))
      .openapi({ description: "Per ISO week the leads came in (business zone): accepted, and accepted within the window." }),
    escalations: z.object({ events: z.number().int(), leads: z.number().int() }),
    rejections: z.object({ total: z.number().int(), byReason: counts }),
    missedCalls: z.object({ total: z.number().int(), recovered: z.number().int().openapi({ description: "Accepted, or closed as a booking." }), recoveredPct: pct }),
    outcomes: z.object({
      closed: z.number().int(),
      booked: z.number().int().openapi({ description: "Closed with `booked` or an outcome of the business's with `booked: true`." }),
      bookedRate: pct.openapi({ description: "booked / closed, percent." }),
      byOutcome: counts,
    }),
    completedByCustomer: z
      .object({ leads: z.number().int(), medianSecondsToComplete: z.number().nullable() })
      .openapi({ description: "Incomplete leads the caller completed by answering (`answered` entries, CONTRACT §15), offered after the first answer; 0 when none are recorded." }),
    members: z.array(MemberMetrics),
  })
  .openapi("Metrics");
