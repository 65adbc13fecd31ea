import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { STATES } from "../../domain/lead.ts";
import { createLeadInput, leadPatchInput, memberAction } from "../../domain/lead-input.ts";
import { AppError } from "../../errors.ts";
import { loadBusiness } from "../../admin/businesses.ts";
import { acceptLead, closeLead, reassignLead, rejectLead } from "../../handoff/lead-actions.ts";
import { getLead, leadsPage } from "../../admin/queries.ts";
import { receiveLead } from "../../intake/receive-lead.ts";
import { updateLead } from "../../handoff/update-lead.ts";
import type { AppEnv } from "../http.ts";
import { leadIdIn } from "../api-auth.ts";
import { declareRoute, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { Lead, LeadPage, named } from "./schemas.ts";

export const limit = (max: number, byDefault: number) =>
  z.coerce.number().int().min(1).max(max).default(byDefault).openapi({ description: `Page size, 1–${max}.` });
export const cursor = z.string().min(1).max(400).optional().openapi({ description: "The `nextCursor` of the previous page." });

const leadRef = z.object({
  id: z.string().openapi({
    description: "The lead's id (a UUID) or its business and code, as texts show it.",
    example: "acme:1042",
    param: { name: "id", in: "path" },
  }),
});

const tags = ["Leads"];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });

const listLeads = createRoute({
  method: "get",
  path: "/api/leads",
  tags,
  summary: "List leads",
  description:
    "Newest first, as `{ leads, nextCursor }`. `q` finds leads whose phone holds the digits typed (three or more, in any format: `(512) 555-0123` works) " +
    "or whose name holds the text (case-insensitive; `%` and `_` match literally). Pages are keyset: pass `nextCursor` as `cursor` for the next page " +
    "(null on the last); leads arriving meanwhile neither repeat nor shift a page. A cursor this listing did not make is 400 naming `cursor`; " +
    "an unknown `business` is 404, not an empty list.",
  request: {
    query: z.object({
      business: z.string().optional().openapi({ description: "A business slug; unknown is 404." }),
      state: z.enum(STATES).optional(),
      q: z.string().trim().min(1, "must not be empty").max(100).optional().openapi({ description: "Phone digits (three or more) or part of a name." }),
      cursor,
      limit: limit(500, 50),
    }),
  },
  responses: { 200: json(LeadPage, "A page of leads."), ...errorResponses(400, 404) },
});

const showLead = createRoute({
  method: "get",
  path: "/api/leads/{id}",
  tags,
  summary: "Get a lead with its history",
  request: { params: leadRef },
  responses: { 200: json(Lead, "The lead, with `events`."), ...errorResponses(400, 404) },
});

const createLead = createRoute({
  method: "post",
  path: "/api/leads",
  tags,
  summary: "Manual intake",
  description:
    "Creates a lead (201), or updates the same caller's open lead (200). A complete lead is routed and offered at once; an incomplete one goes back to intake, told what is missing.",
  request: { body: body(named(createLeadInput, "CreateLead")) },
  responses: {
    201: json(Lead, "A new lead."),
    200: json(Lead, "The same caller's open lead, updated."),
    ...errorResponses(400, 404, 413),
  },
});

const patchLead = createRoute({
  method: "patch",
  path: "/api/leads/{id}",
  tags,
  summary: "Fill or correct fields",
  description:
    "Sets fields (validated as on POST), `nextAction` and/or `nextActionDueAt` (ISO time with an offset), recorded as a `fields_updated` event. A lead with intake " +
    "that is now complete is routed and offered (with the given `nextActionDueAt` as its due time); on an offered or accepted lead the change counts " +
    "as movement and moves the due time. On an accepted lead a new `nextAction` or due time is the owner's plan: a `next_action` event, and a reminder at the due time. " +
    "`nextAction` on a lead not yet accepted is 409, and so is any edit of a closed lead.",
  request: { params: leadRef, body: body(named(leadPatchInput, "LeadPatch")) },
  responses: { 200: json(Lead, "The lead after the change."), ...errorResponses(400, 404, 409, 413) },
});

const memberBody = named(memberAction, "MemberAction");
const closeBody = named(memberAction.partial({ memberId: true }), "CloseAction");

// Only accept and reject check who acts (403 for a member the lead is not offered to).
const ACTIONS = {
  accept: {
    summary: "Accept an offered lead",
    description: "`memberId` must be one the lead is offered to (403 otherwise). The first accept wins and the other offerees are told; 409 when someone already has it.",
    errors: errorResponses(400, 403, 404, 409, 413),
  },
  reject: {
    summary: "Reject an offer",
    description:
      "`reason` is required. The lead goes back to intake, who is texted the reason; 409 after acceptance. From the member a reassignment is pending for, it turns the reassignment down: the lead stays with its owner, who is told.",
    errors: errorResponses(400, 403, 404, 409, 413),
  },
  reassign: {
    summary: "Hand a lead to someone else",
    description:
      "`memberId` is the member offered it (404 if not on the team); `reason` is required. An accepted lead stays accepted by its owner with `pendingOwnerId` set " +
      "until that member accepts (then they own it and the previous owner is told); their reject, or no answer within the lead's acceptance window, leaves it " +
      "with the owner, who is told: nothing goes back to intake. A lead not yet accepted is offered to the member at once.",
    errors: errorResponses(400, 404, 409, 413),
  },
  close: {
    summary: "Close a lead with its outcome",
    description: "`outcome` is one of booked, lost, spam, duplicate or the business's own `outcomes` (case-insensitive; 400 lists them); `memberId` (who closed it) is optional.",
    errors: errorResponses(400, 404, 409, 413),
  },
} as const;

const actionRoute = (action: keyof typeof ACTIONS) =>
  createRoute({
    method: "post",
    path: `/api/leads/{id}/${action}`,
    tags,
    summary: ACTIONS[action].summary,
    description: ACTIONS[action].description,
    request: { params: leadRef, body: body(action === "close" ? closeBody : memberBody) },
    responses: { 200: json(Lead, "The lead after the action."), ...ACTIONS[action].errors },
  });

/** GET/POST/PATCH /api/leads… of CONTRACT §8. */
export function leadRoutes(api: OpenAPIHono<AppEnv>): void {
  /** The lead a `{id}` route names, by UUID or `business:code`. */
  const leadIdOf = (c: Context<AppEnv>, id: string) => leadIdIn(c, id);

  declareRoute(api, listLeads, async (c, { query }) => c.json(await leadsPage(c.var.deps.db, query)), OWN_BUSINESS);

  declareRoute(api, showLead, async (c, { params }) => c.json(await getLead(c.var.deps.db, await leadIdOf(c, params.id))), OWN_BUSINESS);

  declareRoute(api, createLead, async (c, { body }) => {
    const { deps } = c.var;
    const { business: slug, channel, ownerId, nextActionDueAt, ...fields } = body;
    const business = await loadBusiness(deps.db, slug);
    if (ownerId && !business.config.team.some((m) => m.id === ownerId)) {
      throw new AppError("validation_failed", "The request body is invalid.", [{ path: "ownerId", message: `no team member "${ownerId}" in ${slug}` }]);
    }
    const sources = Object.fromEntries(Object.keys(fields).map((k) => [k, "api"]));
    const { lead, created } = await receiveLead(deps, {
      business, fields, sources, channel: channel ?? "manual", actor: "api", ownerId, nextActionDueAt,
    });
    return c.json(await getLead(deps.db, lead.id), created ? 201 : 200);
  }, OWN_BUSINESS);

  declareRoute(api, patchLead, async (c, { params, body }) => {
    const { deps } = c.var;
    const id = await leadIdOf(c, params.id);
    const { nextActionDueAt, nextAction, ...changes } = body;
    if (Object.keys(changes).length === 0 && !nextActionDueAt && nextAction === undefined) {
      throw new AppError("bad_request", "Nothing to change: send at least one lead field, nextAction or nextActionDueAt.");
    }
    await updateLead(deps, id, changes, { actor: "api", source: "api", nextActionDueAt, nextAction });
    return c.json(await getLead(deps.db, id));
  }, OWN_BUSINESS);

  for (const action of Object.keys(ACTIONS) as (keyof typeof ACTIONS)[]) {
    declareRoute(api, actionRoute(action), async (c, { params, body: input }) => {
      const { deps } = c.var;
      const id = await leadIdOf(c, params.id);
      const by = input.memberId ? `member:${input.memberId}` : "api";
      if (action === "accept") await acceptLead(deps, id, { memberId: input.memberId!, via: "api" });
      if (action === "reject") await rejectLead(deps, id, { memberId: input.memberId!, via: "api" }, input.reason);
      if (action === "reassign") await reassignLead(deps, id, input.memberId!, input.reason, "api");
      if (action === "close") await closeLead(deps, id, input.outcome, by, input.reason);
      return c.json(await getLead(deps.db, id));
    }, OWN_BUSINESS);
  }
}
