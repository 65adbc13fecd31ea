import { requireVisibleLead } from "../admin/lead-scope.ts";
import { resolveLeadRef } from "../admin/queries.ts";
import { loadBusiness } from "../admin/businesses.ts";
import { leadPatchInput, noteInput } from "../domain/lead-input.ts";
import type { LeadFields } from "../domain/lead.ts";
import { AppError } from "../errors.ts";
import { addNote, setNextAction } from "../handoff/after-accept-actions.ts";
import { acceptLead, closeLead, reassignLead, rejectLead } from "../handoff/lead-actions.ts";
import { updateLead } from "../handoff/update-lead.ts";
import { httpErrorOf } from "../http/error-response.ts";
import { validate } from "../http/http.ts";
import { getLead } from "../admin/queries.ts";
import { fromLocalInput } from "./format.ts";
import { readForm } from "./guard.ts";
import { leadHref } from "./paths.ts";
import { FIELD_FORM, renderLead } from "./pages/lead.ts";
import type { ConsoleContext } from "./console-env.ts";

/** The lead a console URL names, if the viewer may see it: 404 otherwise, exactly like a lead that does not exist. */
export async function visibleLeadId(c: ConsoleContext, ref: string): Promise<string> {
  const id = await resolveLeadRef(c.var.deps.db, ref.slice(0, 200));
  await requireVisibleLead(c.var.deps.db, id, c.var.viewer.scope);
  return id;
}

/** Who acts, as the verbs write it: the signed-in member, or the operator acting for the member the form names. */
function actingMember(c: ConsoleContext, form: Record<string, string>): string {
  const { viewer } = c.var;
  if (viewer.member) return viewer.member.id;
  if (!form.memberId) throw new AppError("validation_failed", "The form is invalid.", [{ path: "memberId", message: "required" }]);
  return form.memberId;
}
const actor = (c: ConsoleContext) => (c.var.viewer.member ? `member:${c.var.viewer.member.id}` : "operator");
/** The author of a note or a next action: the member, or (the operator) the API, as its token would. */
const author = (c: ConsoleContext) => ({ by: c.var.viewer.member?.id ?? "api", via: "console" });

/** Each form of the lead page: the SAME verbs the API calls, with the same refusals. */
const ACTIONS: Record<string, (c: ConsoleContext, id: string, form: Record<string, string>) => Promise<string>> = {
  async accept(c, id, form) {
    await acceptLead(c.var.deps, id, { memberId: actingMember(c, form), via: "console" });
    return "accepted";
  },
  async reject(c, id, form) {
    await rejectLead(c.var.deps, id, { memberId: actingMember(c, form), via: "console" }, form.reason);
    return "rejected";
  },
  async reassign(c, id, form) {
    if (!form.memberId) throw new AppError("validation_failed", "The form is invalid.", [{ path: "memberId", message: "required" }]);
    await reassignLead(c.var.deps, id, form.memberId, form.reason, actor(c));
    return "reassignment offered";
  },
  async "next-action"(c, id, form) {
    const lead = await getLead(c.var.deps.db, id);
    const { config } = await loadBusiness(c.var.deps.db, lead.business);
    const dueAt = fromLocalInput(form.dueAt ?? "", config.timezone);
    const problems = [
      ...(!form.action?.trim() ? [{ path: "action", message: "required" }] : []),
      ...(!dueAt ? [{ path: "dueAt", message: "pick a date and time" }] : dueAt <= c.var.deps.clock.now() ? [{ path: "dueAt", message: "must be in the future" }] : []),
    ];
    if (problems.length) throw new AppError("validation_failed", "The form is invalid.", problems);
    await setNextAction(c.var.deps, id, author(c), { action: form.action!, dueAt: dueAt! });
    return "next action set";
  },
  async notes(c, id, form) {
    const { text } = validate(noteInput, { text: form.text ?? "" }, "form");
    await addNote(c.var.deps, id, author(c), text);
    return "note added";
  },
  async close(c, id, form) {
    await closeLead(c.var.deps, id, form.outcome || undefined, actor(c), form.reason?.trim() || undefined);
    return "closed";
  },
  async fields(c, id, form) {
    const lead = await getLead(c.var.deps.db, id);
    const given: Record<string, string> = {};
    for (const f of FIELD_FORM) {
      const value = form[f.name]?.trim();
      if (value && value !== (lead[f.name] ?? "")) given[f.name] = value;
    }
    if (Object.keys(given).length === 0) throw new AppError("bad_request", "Nothing to change: every field is as it was.");
    const changes = validate(leadPatchInput, given, "form");
    await updateLead(c.var.deps, id, changes as Partial<LeadFields>, { actor: actor(c), source: "console" });
    return "fields saved";
  },
};

/** POST /console/leads/:ref/:action: the verb, then back to the lead (303), or the lead page again with the refusal. */
export async function leadAction(c: ConsoleContext): Promise<Response> {
  const run = ACTIONS[c.req.param("action") ?? ""];
  if (!run) throw new AppError("not_found", `No console action ${c.req.param("action")}.`);
  const id = await visibleLeadId(c, c.req.param("ref") ?? "");
  const form = await readForm(c);
  let done: string;
  try {
    done = await run(c, id, form);
  } catch (err) {
    const known = httpErrorOf(err);
    if (!known) throw err;
    return renderLead(c, id, known);
  }
  const lead = await getLead(c.var.deps.db, id);
  return c.redirect(`${leadHref(lead.business, lead.code)}?done=${encodeURIComponent(done)}`, 303);
}
