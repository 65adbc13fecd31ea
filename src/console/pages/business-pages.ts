import { html } from "hono/html";
import { businessHistory, businessVersionConfig, publicConfig } from "../../admin/businesses.ts";
import { onCallAt } from "../../admin/on-call.ts";
import { endOfDayReview } from "../../escalation/end-of-day-review.ts";
import { AppError } from "../../errors.ts";
import type { BusinessRow } from "../../core/records.ts";
import { inZone } from "../format.ts";
import { page } from "../layout.ts";
import { lineDiff } from "../line-diff.ts";
import { CONSOLE_BASE, leadHref } from "../paths.ts";
import { allBusinesses, businessOf } from "../viewer-business.ts";
import type { ConsoleContext, ConsolePage, Html } from "../console-env.ts";

// The pages about one business as a whole (manager, office lead, dispatch, intake, operator):
// the end-of-day review, the team with who is on call, the config with its versions.

/** The business a whole-business page shows; 403 for a member who sees only their own leads. */
export async function wholeBusiness(c: ConsoleContext): Promise<BusinessRow> {
  if (c.var.viewer.scope.kind === "member") throw new AppError("forbidden", "This page is for the office (manager, office lead, dispatch, intake).");
  const business = await businessOf(c, "first");
  if (!business) throw new AppError("not_found", "No business is set up yet.");
  return business;
}

/** For the operator: a picker of the business, keeping the page's other query values. */
export async function picker(c: ConsoleContext, business: BusinessRow, path: string): Promise<Html | string> {
  if (!c.var.viewer.operator) return "";
  return html`<form class="search" method="get" action="${path}">
    <label for="business" class="muted">Business</label>
    <select id="business" name="business">${(await allBusinesses(c)).map((b) => html`<option value="${b.slug}" ${b.slug === business.slug ? "selected" : ""}>${b.name}</option>`)}</select>
    <button type="submit" class="secondary">Show</button>
  </form>`;
}

export const reviewPage: ConsolePage = {
  path: `${CONSOLE_BASE}/review`,
  label: "End of day",
  wholeBusiness: true,
  async render(c) {
    const business = await wholeBusiness(c);
    const date = c.req.query("date")?.slice(0, 20) || undefined;
    const review = await endOfDayReview(c.var.deps, business, date);
    const zone = business.config.timezone;
    return page(
      c,
      "End-of-day review",
      html`<h1>End-of-day review · ${business.config.name}</h1>
        ${await picker(c, business, reviewPage.path)}
        <form class="search" method="get" action="${reviewPage.path}">
          ${c.var.viewer.operator ? html`<input type="hidden" name="business" value="${business.slug}" />` : ""}
          <label for="date" class="muted">Date</label><input id="date" name="date" type="date" value="${review.date}" />
          <button type="submit" class="secondary">Show</button>
        </form>
        <p class="muted">Open leads with no recorded next action as of ${inZone(review.asOf, zone)}${review.reviewAt ? html`; the review is sent at ${inZone(review.reviewAt, zone)}` : ""}.</p>
        ${review.leads.length === 0
          ? html`<p class="notice">Nothing to review: every open lead has its next action.</p>`
          : html`<table><thead><tr><th>Lead</th><th>State</th><th>Owner</th><th>Urgency</th><th>Next action</th><th>Why</th></tr></thead><tbody>
              ${review.leads.map((l) => html`<tr><td><a href="${leadHref(business.slug, l.code)}">#${l.code}</a></td><td>${l.state}</td><td>${l.ownerName ?? ""}</td><td>${l.urgency ?? ""}</td>
                <td>${l.nextAction ?? ""}${l.nextActionDueAt ? html` <span class="muted">${inZone(l.nextActionDueAt, zone)}</span>` : ""}</td><td>${l.why}</td></tr>`)}
            </tbody></table>`}`,
    );
  },
};

export const teamPage: ConsolePage = {
  path: `${CONSOLE_BASE}/team`,
  label: "Team & on call",
  wholeBusiness: true,
  async render(c) {
    const business = await wholeBusiness(c);
    const config = business.config;
    const now = c.var.deps.clock.now();
    const onCall = onCallAt(config, now);
    return page(
      c,
      "Team",
      html`<h1>Team · ${config.name}</h1>
        ${await picker(c, business, teamPage.path)}
        <h2>Who holds each role now <span class="muted">(${inZone(now, config.timezone)})</span></h2>
        <table><thead><tr><th>Role</th><th>Member</th><th>Until</th></tr></thead><tbody>
          ${Object.entries(onCall.roles).map(([role, r]) => html`<tr><td>${role}</td><td>${r.name ?? html`<span class="missing">nobody</span>`}${r.fallback ? html` <span class="tag warn">fallback: ${r.fallback}</span>` : ""}</td><td>${r.until ? inZone(r.until, config.timezone) : ""}</td></tr>`)}
        </tbody></table>
        <h2>Team</h2>
        <table><thead><tr><th>Name</th><th>Id</th><th>Phone</th><th>Roles</th></tr></thead><tbody>
          ${config.team.map((m) => html`<tr><td>${m.name}</td><td>${m.id}</td><td>${m.phone}</td><td>${m.roles.join(", ")}</td></tr>`)}
        </tbody></table>
        ${(config.schedules ?? []).length ? html`<h2>Schedules</h2><ul>${(config.schedules ?? []).map((s) => html`<li>${s.id}: ${s.role}, every ${s.rotation.every} from ${s.rotation.handoff} (${s.rotation.members.join(" → ")})</li>`)}</ul>` : ""}`,
    );
  },
};

export const configPage: ConsolePage = {
  path: `${CONSOLE_BASE}/config`,
  label: "Config",
  wholeBusiness: true,
  async render(c) {
    const business = await wholeBusiness(c);
    const history = await businessHistory(c.var.deps.db, business.id);
    const asked = Number(c.req.query("version"));
    const version = Number.isInteger(asked) && history.some((h) => h.version === asked) ? asked : business.version;
    const shown = (await businessVersionConfig(c.var.deps.db, business.id, version)) ?? publicConfig(business.config);
    const previous = version > 1 ? await businessVersionConfig(c.var.deps.db, business.id, version - 1) : null;
    const text = JSON.stringify(shown, null, 2);
    const diff = previous ? lineDiff(JSON.stringify(previous, null, 2), text).filter((l) => l.kind !== "same") : [];
    const link = (v: number) => `${configPage.path}?${new URLSearchParams({ ...(c.var.viewer.operator && { business: business.slug }), version: String(v) }).toString()}`;
    return page(
      c,
      "Config",
      html`<h1>Config · ${business.config.name} <span class="muted">(read-only; apply changes with <code>handoff apply</code> or PUT /api/businesses/${business.slug})</span></h1>
        ${await picker(c, business, configPage.path)}
        <div class="grid2">
          <section class="panel"><h2>Version ${version}${version === business.version ? " (current)" : ""}</h2><pre>${text}</pre></section>
          <section>
            <section class="panel"><h2>Versions</h2><ul>
              ${history.map((h) => html`<li>${h.version === version ? html`<strong>v${h.version}</strong>` : html`<a href="${link(h.version)}">v${h.version}</a>`} · ${inZone(h.createdAt, business.config.timezone)} · ${h.appliedBy}</li>`)}
            </ul></section>
            <section class="panel diff"><h2>${previous ? `Changes from v${version - 1}` : "Changes"}</h2>
              ${previous ? (diff.length ? html`<pre>${diff.map((l) => html`<span class="${l.kind}">${l.kind === "add" ? "+ " : "- "}${l.text}</span>\n`)}</pre>` : html`<p class="muted">No change.</p>`) : html`<p class="muted">The first version.</p>`}
            </section>
          </section>
        </div>`,
    );
  },
};
