import { Hono } from "hono";
import { loadBusiness } from "../admin/businesses.ts";
import { isCalendarToken, scheduleCalendar } from "../admin/on-call.ts";
import { BusinessNotFound } from "../domain/errors.ts";
import { icsResponse } from "./api/on-duty.ts";
import type { AppEnv } from "./http.ts";

/**
 * A schedule's calendar at its unguessable URL (`icsUrl` of GET /api/businesses/:slug), for
 * phone calendars that cannot send a token. A wrong token answers as an unknown business would,
 * so the URL reveals nothing about which businesses exist.
 */
export function calendarFeedRoutes() {
  const feeds = new Hono<AppEnv>();
  feeds.get("/:slug/:id/:token{[0-9a-f]+\\.ics}", async (c) => {
    const { slug, id } = c.req.param();
    const token = c.req.param("token").slice(0, -".ics".length);
    const { deps } = c.var;
    if (!(await isCalendarToken(deps.settings.adminToken, slug, id, token))) throw new BusinessNotFound(slug);
    const business = await loadBusiness(deps.db, slug);
    return icsResponse(scheduleCalendar(business.config, business.slug, id, deps.clock.now()), id);
  });
  return feeds;
}
