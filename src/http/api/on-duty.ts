import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { loadBusiness } from "../../admin/businesses.ts";
import { awayMemberIds } from "../../core/member-status.ts";
import { withAwayMembers } from "../../domain/routing.ts";
import { calendarToken, onCallAt, scheduleCalendar } from "../../admin/on-call.ts";
import type { BusinessConfig } from "../../domain/business-config.ts";
import type { AppEnv } from "../http.ts";
import { declareRoute, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { OnCall } from "./schemas.ts";

const tags = ["Businesses"];
const slug = z.string().openapi({ example: "acme", param: { name: "slug", in: "path" } });

const onCall = createRoute({
  method: "get",
  path: "/api/businesses/{slug}/on-call",
  tags,
  summary: "Who holds each role",
  description: "At `at` (default now): for a scheduled role the member on duty (an override, else the rotation's turn; one who texted AWAY passes it to the next in the rotation) and when the shift ends.",
  request: {
    params: z.object({ slug }),
    query: z.object({ at: z.iso.datetime({ offset: true, message: "use an ISO 8601 time, e.g. 2026-11-24T02:00:00-06:00" }).optional() }),
  },
  responses: { 200: { description: "Who is on duty.", content: { "application/json": { schema: OnCall } } }, ...errorResponses(400, 404) },
});

const calendar = createRoute({
  method: "get",
  path: "/api/businesses/{slug}/schedules/{id}.ics",
  tags,
  summary: "A schedule's shifts as iCalendar",
  description: "Four weeks back to twelve ahead, one event per shift, overrides included. The same feed needs no token at the schedule's `icsUrl`.",
  request: { params: z.object({ slug, id: z.string().openapi({ example: "on-call", param: { name: "id", in: "path" } }) }) },
  responses: {
    200: { description: "An iCalendar feed.", content: { "text/calendar": { schema: z.string() } } },
    ...errorResponses(404),
  },
});

/** The iCalendar answer: a phone calendar subscribes to it, so it says so. */
export const icsResponse = (body: string, name: string) =>
  new Response(body, { headers: { "content-type": "text/calendar; charset=utf-8", "content-disposition": `inline; filename="${name}.ics"` } });

/** Where each schedule's public feed is: the gateway's public URL, else the origin asked. */
export async function scheduleFeeds(c: Context<AppEnv>, slug: string, config: BusinessConfig) {
  const base = c.var.deps.settings.publicUrl ?? new URL(c.req.url).origin;
  return Promise.all(
    (config.schedules ?? []).map(async (s) => ({
      id: s.id,
      role: s.role,
      icsUrl: `${base}/calendars/${slug}/${s.id}/${await calendarToken(c.var.deps.settings.adminToken, slug, s.id)}.ics`,
    })),
  );
}

/** GET /api/businesses/{slug}/on-call and …/schedules/{id}.ics of CONTRACT §10. */
export function onDutyRoutes(api: OpenAPIHono<AppEnv>): void {
  declareRoute(api, onCall, async (c, { params, query }) => {
    const business = await loadBusiness(c.var.deps.db, params.slug);
    // Members who texted AWAY are passed over, as routing passes them over, until they text BACK.
    const config = withAwayMembers(business.config, await awayMemberIds(c.var.deps.db, business.id));
    return c.json(onCallAt(config, query.at ? new Date(query.at) : c.var.deps.clock.now()));
  }, OWN_BUSINESS);
  declareRoute(api, calendar, async (c, { params }) => {
    const business = await loadBusiness(c.var.deps.db, params.slug);
    return icsResponse(scheduleCalendar(business.config, business.slug, params.id, c.var.deps.clock.now()), params.id);
  }, OWN_BUSINESS);
}
