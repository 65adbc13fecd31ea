import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { nextActionInput, noteInput } from "../../domain/lead-input.ts";
import { AppError } from "../../errors.ts";
import { getLead } from "../../admin/queries.ts";
import { addNote, setNextAction } from "../../handoff/after-accept-actions.ts";
import type { AppEnv } from "../http.ts";
import { leadIdIn } from "../api-auth.ts";
import { declareRoute, OWN_BUSINESS } from "./declare-route.ts";
import { errorResponses } from "./error-schemas.ts";
import { Lead, named } from "./schemas.ts";

/** The next-action request body as an OpenAPI component. */
export const NextActionBody = named(nextActionInput, "NextAction");
/** The note request body as an OpenAPI component. */
export const NoteBody = named(noteInput, "Note");

const leadRef = z.object({
  id: z.string().openapi({ description: "The lead's id (a UUID) or its business and code.", example: "acme:1042", param: { name: "id", in: "path" } }),
});
const tags = ["Leads"];
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });

const nextAction = createRoute({
  method: "post",
  path: "/api/leads/{id}/next-action",
  tags,
  summary: "Record the owner's next action and when it is due",
  description:
    "CONTRACT §9, the API side of `NEXT` by text. Only an accepted lead has one (409 otherwise); `dueAt` must be in the future. Movement: the owner is reminded at `dueAt` if nothing else moves, and `escalation.overdue` later the office is told.",
  request: { params: leadRef, body: body(NextActionBody) },
  responses: { 200: json(Lead, "The lead after the change."), ...errorResponses(400, 404, 409, 413) },
});

const notes = createRoute({
  method: "post",
  path: "/api/leads/{id}/notes",
  tags,
  summary: "Add a note",
  description: "CONTRACT §9, the API side of `NOTE` by text: appended to `notes`, never to `summaryNotes`. A closed lead takes no notes (409).",
  request: { params: leadRef, body: body(NoteBody) },
  responses: { 200: json(Lead, "The lead after the change."), ...errorResponses(400, 404, 409, 413) },
});

/** POST /api/leads/{id}/next-action and /notes (CONTRACT §9). */
export function afterAcceptRoutes(api: OpenAPIHono<AppEnv>): void {
  const author = (memberId: string | undefined) => ({ by: memberId ?? "api", via: "api" });

  declareRoute(api, nextAction, async (c, { params, body: input }) => {
    const { deps } = c.var;
    const id = await leadIdIn(c, params.id);
    const dueAt = input.dueAt;
    if (dueAt <= deps.clock.now()) {
      throw new AppError("validation_failed", "The request body is invalid.", [{ path: "dueAt", message: "must be in the future" }]);
    }
    await setNextAction(deps, id, author(input.memberId), { action: input.action, dueAt });
    return c.json(await getLead(deps.db, id));
  }, OWN_BUSINESS);

  declareRoute(api, notes, async (c, { params, body: input }) => {
    const { deps } = c.var;
    const id = await leadIdIn(c, params.id);
    await addNote(deps, id, author(input.memberId), input.text);
    return c.json(await getLead(deps.db, id));
  }, OWN_BUSINESS);
}
