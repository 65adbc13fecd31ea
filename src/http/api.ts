import { Hono, type Context } from "hono";
import { z } from "zod";
import { STATES } from "../domain/lead.ts";
import { createLeadInput, leadPatchInput, memberAction } from "../domain/lead-input.ts";
import { AppError } from "../errors.ts";
import { applyBusinessConfig, businessHistory, loadBusiness, publicConfig } from "../admin/businesses.ts";
import { endOfDayReview } from "../escalation/end-of-day-review.ts";
import { acceptLead, closeLead, reassignLead, rejectLead } from "../handoff/lead-actions.ts";
import { getLead, leadsPage, messagesPage, resolveLeadRef } from "../admin/queries.ts";
import { receiveLead } from "../intake/receive-lead.ts";
import { updateLead } from "../handoff/update-lead.ts";
import { readJson, validate, type AppEnv } from "./http.ts";

const limit = z.coerce.number().int().min(1).max(500).default(50);
const cursor = z.string().min(1).max(400).optional();
const listQuery = z.object({
  business: z.string().optional(),
  state: z.enum(STATES).optional(),
  q: z.string().trim().min(1, "must not be empty").max(100).optional(),
  cursor,
  limit,
});
const messagesQuery = z.object({ lead: z.string().optional(), business: z.string().optional(), cursor, limit: limit.default(200) });
const reviewQuery = z.object({ business: z.string().min(1), date: z.iso.date("use YYYY-MM-DD").optional() });

/** The admin API of CONTRACT §8 (the Bearer check is mounted in app.ts). */
export function apiRoutes() {
  const api = new Hono<AppEnv>();
  /** The lead a `:id` route names, by UUID or `business:code`. */
  const leadIdOf = (c: Context<AppEnv>) => resolveLeadRef(c.var.deps.db, c.req.param("id")!);

  api.get("/leads", async (c) => {
    const q = validate(listQuery, c.req.query(), "query");
    return c.json(await leadsPage(c.var.deps.db, q));
  });

  api.get("/leads/:id", async (c) => {
    const id = await leadIdOf(c);
    return c.json(await getLead(c.var.deps.db, id));
  });

  api.post("/leads", async (c) => {
    const { deps } = c.var;
    const { business: slug, channel, ownerId, nextActionDueAt, ...fields } = validate(createLeadInput, await readJson(c));
    const business = await loadBusiness(deps.db, slug);
    if (ownerId && !business.config.team.some((m) => m.id === ownerId)) {
      throw new AppError("validation_failed", "The request body is invalid.", [{ path: "ownerId", message: `no team member "${ownerId}" in ${slug}` }]);
    }
    const sources = Object.fromEntries(Object.keys(fields).map((k) => [k, "api"]));
    const { lead, created } = await receiveLead(deps, {
      business, fields, sources, channel: channel ?? "manual", actor: "api", ownerId, nextActionDueAt,
    });
    return c.json(await getLead(deps.db, lead.id), created ? 201 : 200);
  });

  api.patch("/leads/:id", async (c) => {
    const { deps } = c.var;
    const id = await leadIdOf(c);
    const { nextActionDueAt, nextAction, ...changes } = validate(leadPatchInput, await readJson(c));
    if (Object.keys(changes).length === 0 && !nextActionDueAt && nextAction === undefined) {
      throw new AppError("bad_request", "Nothing to change: send at least one lead field, nextAction or nextActionDueAt.");
    }
    await updateLead(deps, id, changes, { actor: "api", source: "api", nextActionDueAt, nextAction });
    return c.json(await getLead(deps.db, id));
  });

  api.post("/leads/:id/:action{accept|reject|reassign|close}", async (c) => {
    const { deps } = c.var;
    const id = await leadIdOf(c);
    const action = c.req.param("action");
    const body = await readJson(c);
    const input =
      action === "close"
        ? validate(memberAction.partial({ memberId: true }), body)
        : validate(memberAction, body);
    const by = input.memberId ? `member:${input.memberId}` : "api";
    if (action === "accept") await acceptLead(deps, id, { memberId: input.memberId!, via: "api" });
    if (action === "reject") await rejectLead(deps, id, { memberId: input.memberId!, via: "api" }, input.reason);
    if (action === "reassign") await reassignLead(deps, id, input.memberId!, input.reason, "api");
    if (action === "close") await closeLead(deps, id, input.outcome, by, input.reason);
    return c.json(await getLead(deps.db, id));
  });

  api.get("/messages", async (c) => {
    const q = validate(messagesQuery, c.req.query(), "query");
    const lead = q.lead === undefined ? undefined : await resolveLeadRef(c.var.deps.db, q.lead, "lead");
    return c.json(await messagesPage(c.var.deps.db, { ...q, lead }));
  });

  api.put("/businesses/:slug", async (c) => {
    const { deps } = c.var;
    const result = await applyBusinessConfig(deps.db, await readJson(c), {
      slug: c.req.param("slug"),
      appliedBy: "api",
      now: deps.clock.now(),
    });
    return c.json(
      { slug: result.business.slug, version: result.business.version, changed: result.changed, config: publicConfig(result.business.config) },
      result.created ? 201 : 200,
    );
  });

  api.get("/businesses/:slug", async (c) => {
    const business = await loadBusiness(c.var.deps.db, c.req.param("slug"));
    return c.json({
      slug: business.slug,
      version: business.version,
      config: publicConfig(business.config),
      versions: await businessHistory(c.var.deps.db, business.id),
    });
  });

  api.get("/reviews/end-of-day", async (c) => {
    const q = validate(reviewQuery, c.req.query(), "query");
    const business = await loadBusiness(c.var.deps.db, q.business);
    return c.json(await endOfDayReview(c.var.deps, business, q.date));
  });

  return api;
}
