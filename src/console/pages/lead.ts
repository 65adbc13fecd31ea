import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { loadBusiness } from "../../admin/businesses.ts";
import { getLead, listMessages } from "../../admin/queries.ts";
import type { BusinessConfig } from "../../domain/business-config.ts";
import { FITS, LEAD_TYPES, OPPORTUNITIES, URGENCIES } from "../../domain/lead.ts";
import { allOutcomes } from "../../handoff/lead-actions.ts";
import type { HttpError } from "../../http/error-response.ts";
import { inZone, toLocalInput } from "../format.ts";
import { page } from "../layout.ts";
import { CONSOLE_BASE, leadHref } from "../paths.ts";
import type { ConsoleContext, Html } from "../console-env.ts";

type ApiLead = Awaited<ReturnType<typeof getLead>>;

/** The lead fields the page lists and its "fill fields" form edits, in the SOP's order. */
export const FIELD_FORM: { name: keyof ApiLead & string; label: string; choices?: readonly string[]; type?: string; long?: boolean }[] = [
  { name: "fullName", label: "Name" },
  { name: "phone", label: "Phone", type: "tel" },
  { name: "serviceAddress", label: "Service address" },
  { name: "market", label: "Market" },
  { name: "serviceType", label: "Service type" },
  { name: "urgency", label: "Urgency", choices: URGENCIES },
  { name: "source", label: "Source" },
  { name: "summaryNotes", label: "Summary notes", long: true },
  { name: "promisedNextStep", label: "Promised next step" },
  { name: "leadType", label: "Lead type", choices: LEAD_TYPES },
  { name: "opportunity", label: "Opportunity", choices: OPPORTUNITIES },
  { name: "fit", label: "Fit", choices: FITS },
  { name: "referralContext", label: "Referral context" },
  { name: "followUpDate", label: "Follow-up date", type: "date" },
];

const memberName = (config: BusinessConfig, id: string | null | undefined) => (id ? (config.team.find((m) => m.id === id)?.name ?? id) : "");

/** "member:dana" → "Dana Ruiz"; anything else as written. */
export const actorName = (config: BusinessConfig, actor: string) => (actor.startsWith("member:") ? memberName(config, actor.slice(7)) : actor);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** An event's detail as words: times in the business's zone, lists as lists. */
export function detailText(detail: unknown, zone: string): string {
  if (!detail || typeof detail !== "object") return "";
  const shown = (v: unknown): string =>
    typeof v === "string" ? (ISO_TIME.test(v) ? inZone(v, zone) || v : v) : Array.isArray(v) ? v.map(shown).join(", ") : JSON.stringify(v);
  return Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${shown(v)}`)
    .join(" · ");
}

export function errorBanner(error: HttpError | undefined): Html | string {
  if (!error) return "";
  const details = Array.isArray(error.details) ? (error.details as { path?: string; message?: string }[]) : [];
  return html`<div class="error" role="alert" data-code="${error.code}">
    <strong>${error.message}</strong>
    ${details.length ? html`<ul>${details.map((d) => html`<li>${d.path ? `${d.path}: ` : ""}${d.message ?? ""}</li>`)}</ul>` : ""}
  </div>`;
}

export const csrfField = (c: ConsoleContext) => html`<input type="hidden" name="_csrf" value="${c.var.viewer.csrf}" />`;

/** For the operator, who acts as no member: whom an accept or reject is on behalf of. */
function actAs(c: ConsoleContext, config: BusinessConfig, ids: string[]): Html | string {
  if (!c.var.viewer.operator) return "";
  const choices = ids.length ? ids : config.team.map((m) => m.id);
  return html`<label>On behalf of <select name="memberId">${choices.map((id) => html`<option value="${id}">${memberName(config, id)}</option>`)}</select></label>`;
}

function actions(c: ConsoleContext, lead: ApiLead, config: BusinessConfig): Html | string {
  if (lead.state === "closed") return html`<p class="muted">Closed${lead.outcome ? html` (${lead.outcome})` : ""}: nothing more to do.</p>`;
  const action = (name: string) => `${leadHref(lead.business, lead.code)}/${name}`;
  const offerees = [...lead.offeredTo, ...(lead.pendingOwnerId ? [lead.pendingOwnerId] : [])];
  const now = c.var.deps.clock.now();
  const dueDefault = toLocalInput(new Date(now.getTime() + 3_600_000), config.timezone);
  return html`<div class="actions">
    ${lead.state === "offered" || lead.pendingOwnerId
      ? html`<form method="post" action="${action("accept")}">${csrfField(c)}${actAs(c, config, offerees)}<button type="submit">Accept</button></form>
          <form method="post" action="${action("reject")}">${csrfField(c)}${actAs(c, config, offerees)}
            <label>Reason <input name="reason" required maxlength="500" placeholder="what is missing" /></label>
            <button type="submit" class="secondary">Reject</button></form>`
      : ""}
    ${lead.state === "accepted"
      ? html`<form method="post" action="${action("next-action")}">${csrfField(c)}
          <label>Next action <input name="action" required maxlength="500" value="${lead.nextAction ?? ""}" /></label>
          <label>Due (${config.timezone}) <input name="dueAt" type="datetime-local" required value="${dueDefault}" /></label>
          <button type="submit">Set next action</button></form>`
      : ""}
    <form method="post" action="${action("reassign")}">${csrfField(c)}
      <label>Reassign to <select name="memberId">${config.team.map((m) => html`<option value="${m.id}">${m.name}</option>`)}</select></label>
      <label>Reason <input name="reason" required maxlength="500" /></label>
      <button type="submit" class="secondary">Reassign</button></form>
    <form method="post" action="${action("notes")}">${csrfField(c)}
      <label>Note <input name="text" required maxlength="2000" /></label>
      <button type="submit">Add note</button></form>
    <form method="post" action="${action("close")}">${csrfField(c)}
      <label>Outcome <select name="outcome">${allOutcomes(config).map((o) => html`<option value="${o}">${o}</option>`)}</select></label>
      <label>Words <input name="reason" maxlength="500" /></label>
      <button type="submit" class="secondary">Close</button></form>
  </div>`;
}

function fieldsForm(c: ConsoleContext, lead: ApiLead): Html | string {
  if (lead.state === "closed") return "";
  const input = (f: (typeof FIELD_FORM)[number]) => {
    const value = (lead[f.name] as string | null) ?? "";
    const id = `f-${f.name}`;
    const missing = lead.missingFields.includes(f.name);
    const label = html`${f.label}${missing ? html` <span class="missing">(missing)</span>` : ""}`;
    if (f.choices) {
      return html`<label for="${id}">${label}<select id="${id}" name="${f.name}"><option value="">—</option>${f.choices.map((v) => html`<option value="${v}" ${v === value ? "selected" : ""}>${v}</option>`)}</select></label>`;
    }
    if (f.long) return html`<label for="${id}">${label}<textarea id="${id}" name="${f.name}" maxlength="10000">${value}</textarea></label>`;
    return html`<label for="${id}">${label}<input id="${id}" name="${f.name}" type="${f.type ?? "text"}" value="${value}" maxlength="2000" /></label>`;
  };
  return html`<details ${lead.missingFields.length ? "open" : ""}><summary>Fill or correct fields</summary>
    <form method="post" action="${leadHref(lead.business, lead.code)}/fields">${csrfField(c)}
      <div class="stack">${FIELD_FORM.map(input)}</div>
      <p><button type="submit">Save fields</button> <span class="muted">Only changed fields are sent; empty ones are left as they are.</span></p>
    </form></details>`;
}

/** GET /console/leads/:ref, and the same page again with the refusal of a form that failed. */
export async function renderLead(c: ConsoleContext, id: string, failed?: HttpError): Promise<Response> {
  const { deps } = c.var;
  const lead = await getLead(deps.db, id);
  const business = await loadBusiness(deps.db, lead.business);
  const config = business.config;
  const zone = config.timezone;
  const now = deps.clock.now();
  const messages = await listMessages(deps.db, { lead: id, limit: 200 });
  const timeline = [
    ...(lead.events ?? []).map((e) => ({ at: e.at, body: html`<strong>${e.type}</strong> by ${actorName(config, e.actor)} <span class="muted">${detailText(e.detail, zone)}</span>` })),
    ...messages.map((m) => ({
      at: m.createdAt,
      body: html`<strong>${m.channel === "sms" ? "text" : "call"} (${m.purpose})</strong> to ${memberName(config, m.memberId) || m.to} <span class="tag">${m.status}</span><br />${m.body}`,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const overdue = lead.nextActionDueAt && lead.state !== "closed" && new Date(lead.nextActionDueAt) < now;
  const done = c.req.query("done");
  const status = (failed?.status ?? 200) as ContentfulStatusCode;
  return page(
    c,
    `Lead ${lead.code}`,
    html`<p><a href="${CONSOLE_BASE}/board">← Board</a></p>
      <h1>Lead #${lead.code} · ${lead.fullName ?? lead.phone ?? "Unknown caller"} <span class="tag">${lead.state}</span>
        ${lead.escalationLevel > 0 ? html`<span class="tag warn">escalated ×${lead.escalationLevel}</span>` : ""} ${overdue ? html`<span class="tag bad">overdue</span>` : ""}</h1>
      ${errorBanner(failed)}
      ${done && !failed ? html`<p class="notice" role="status">Done: ${done}.</p>` : ""}
      <div class="grid2">
        <div>
          <section class="panel" aria-labelledby="h-fields">
            <h2 id="h-fields">Fields</h2>
            <dl class="fields">
              ${FIELD_FORM.map((f) => {
                const value = lead[f.name] as string | null;
                const missing = lead.missingFields.includes(f.name);
                return html`<dt>${f.label}</dt><dd>${value ?? ""}${missing ? html`<span class="missing">missing</span>` : value === null ? html`<span class="muted">—</span>` : ""}</dd>`;
              })}
              <dt>Channel</dt><dd>${lead.channel}</dd>
              <dt>Owner</dt><dd>${memberName(config, lead.ownerId) || html`<span class="muted">none</span>`}</dd>
              <dt>Offered to</dt><dd>${lead.offeredTo.map((id) => memberName(config, id)).join(", ")}</dd>
              ${lead.pendingOwnerId ? html`<dt>Being reassigned to</dt><dd>${memberName(config, lead.pendingOwnerId)}</dd>` : ""}
              <dt>Created</dt><dd>${inZone(lead.createdAt, zone)}</dd>
            </dl>
          </section>
          <section class="panel" aria-labelledby="h-next">
            <h2 id="h-next">Next action</h2>
            <p>${lead.nextAction ?? html`<span class="missing">none recorded</span>`}${lead.nextActionDueAt ? html` · due ${inZone(lead.nextActionDueAt, zone)}` : ""}</p>
          </section>
          <section class="panel" aria-labelledby="h-actions">
            <h2 id="h-actions">Actions</h2>
            ${actions(c, lead, config)}
            ${fieldsForm(c, lead)}
          </section>
          <section class="panel" aria-labelledby="h-notes">
            <h2 id="h-notes">Notes</h2>
            ${lead.notes.length ? html`<ul>${lead.notes.map((n) => html`<li><span class="muted">${inZone(n.at, zone)} · ${memberName(config, n.by) || n.by}</span><br />${n.text}</li>`)}</ul>` : html`<p class="muted">No notes.</p>`}
          </section>
          ${lead.rejections.length ? html`<section class="panel"><h2>Rejections</h2><ul>${lead.rejections.map((r) => html`<li>${memberName(config, r.by)}: ${r.reason} <span class="muted">${inZone(r.at, zone)}</span></li>`)}</ul></section>` : ""}
        </div>
        <div>
          <section class="panel" aria-labelledby="h-timeline">
            <h2 id="h-timeline">Timeline <span class="muted">(${zone})</span></h2>
            <ol class="timeline">${timeline.map((t) => html`<li><span class="when">${inZone(t.at, zone)}</span><br />${t.body}</li>`)}</ol>
          </section>
          <section class="panel" aria-labelledby="h-transcript">
            <h2 id="h-transcript">Transcript</h2>
            ${lead.transcript ? html`<pre>${lead.transcript}</pre>` : html`<p class="muted">No transcript.</p>`}
            ${lead.recordingUrl ? html`<p>Recording: ${lead.recordingUrl}</p>` : ""}
          </section>
        </div>
      </div>`,
    status as 200,
  );
}
