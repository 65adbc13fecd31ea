import { html } from "hono/html";
import { leadsPage } from "../../admin/queries.ts";
import { businesses } from "../../db/schema/index.ts";
import type { LeadState } from "../../domain/lead.ts";
import type { BusinessRow } from "../../core/records.ts";
import { age, inZone, startOfToday } from "../format.ts";
import { page } from "../layout.ts";
import { CONSOLE_BASE, leadHref } from "../paths.ts";
import { allBusinesses, businessOf } from "../viewer-business.ts";
import type { ConsoleContext, ConsolePage, Html } from "../console-env.ts";

const COLUMNS: { state: LeadState; title: string }[] = [
  { state: "intake", title: "Intake" },
  { state: "offered", title: "Offered" },
  { state: "accepted", title: "Accepted" },
  { state: "closed", title: "Closed today" },
];
const PER_COLUMN = 25;
/** How often the board asks for its columns again (htmx polling). */
export const BOARD_REFRESH = "every 3s";

type ApiLead = Awaited<ReturnType<typeof leadsPage>>["leads"][number];

interface BoardQuery {
  q: string | undefined;
  business: BusinessRow | null;
}

function queryOf(c: ConsoleContext): { q: string | undefined } {
  const q = c.req.query("q")?.trim().slice(0, 100);
  return { q: q || undefined };
}

const names = (business: BusinessRow | null, id: string | null) => (id ? (business?.config.team.find((m) => m.id === id)?.name ?? id) : null);

function card(c: ConsoleContext, lead: ApiLead, zoneOf: (slug: string) => string, teamOf: (slug: string) => BusinessRow | null): Html {
  const now = c.var.deps.clock.now();
  const open = lead.state === "offered" || lead.state === "accepted";
  const overdue = open && lead.nextActionDueAt !== null && new Date(lead.nextActionDueAt) < now;
  const escalated = lead.escalationLevel > 0;
  const zone = zoneOf(lead.business);
  const owner = names(teamOf(lead.business), lead.ownerId ?? (lead.state === "offered" ? (lead.offeredTo[0] ?? null) : null));
  const classes = ["card", overdue ? "overdue" : "", escalated ? "escalated" : ""].filter(Boolean).join(" ");
  // The id lets htmx put keyboard focus back on the same card after each refresh.
  return html`<a class="${classes}" id="card-${lead.business}-${lead.code}" href="${leadHref(lead.business, lead.code)}" data-code="${lead.code}">
    <span class="top"><span>#${lead.code}${c.var.viewer.operator ? html` <span class="muted">${lead.business}</span>` : ""}</span>
      <span>${lead.urgency ? html`<span class="tag ${lead.urgency === "emergency" || lead.urgency === "active_loss" ? "bad" : ""}">${lead.urgency}</span>` : html`<span class="tag">urgency?</span>`}</span></span>
    <span>${lead.fullName ?? lead.phone ?? "Unknown caller"}</span>
    <span class="meta">${owner ? html`${lead.state === "offered" ? "offered to" : "owner"} ${owner} · ` : ""}${age(lead.createdAt, now)} old</span>
    ${lead.nextActionDueAt && lead.state !== "closed" ? html`<span class="meta">due ${inZone(lead.nextActionDueAt, zone)}</span>` : ""}
    ${lead.state === "closed" && lead.outcome ? html`<span class="meta">${lead.outcome}</span>` : ""}
    ${overdue ? html` <span class="tag bad">overdue</span>` : ""}${escalated ? html` <span class="tag warn">escalated ×${lead.escalationLevel}</span>` : ""}
    ${lead.missingFields.length && lead.state !== "closed" ? html` <span class="tag">missing ${lead.missingFields.length}</span>` : ""}
  </a>`;
}

/** The four columns, as the board shows them and its polling refreshes them. */
async function columns(c: ConsoleContext, query: BoardQuery): Promise<Html> {
  const { deps, viewer } = c.var;
  const now = deps.clock.now();
  const business = query.business;
  const zone = business?.config.timezone ?? "UTC";
  const closedSince = business ? startOfToday(now, zone) : new Date(now.getTime() - 86_400_000);
  const cache = new Map<string, BusinessRow | null>();
  if (business) cache.set(business.slug, business);
  const lists = await Promise.all(
    COLUMNS.map((col) =>
      leadsPage(deps.db, {
        business: business?.slug, state: col.state, q: query.q, limit: PER_COLUMN, scope: viewer.scope,
        ...(col.state === "closed" && { closedSince }),
      }),
    ),
  );
  // The operator's all-business board names each card's own zone and team.
  if (!business) {
    for (const row of await deps.db.select().from(businesses)) cache.set(row.slug, row);
  }
  const zoneOf = (slug: string) => cache.get(slug)?.config.timezone ?? "UTC";
  const teamOf = (slug: string) => cache.get(slug) ?? null;
  const params = new URLSearchParams({ ...(query.q && { q: query.q }), ...(business && viewer.operator && { business: business.slug }) });
  return html`<div id="columns" class="columns" hx-get="${CONSOLE_BASE}/board/columns?${params.toString()}" hx-trigger="${BOARD_REFRESH}" hx-swap="outerHTML">
    ${COLUMNS.map(
      (col, i) => html`<section class="column" aria-labelledby="col-${col.state}" data-state="${col.state}">
        <h2 id="col-${col.state}">${col.title} <span class="muted">(${lists[i]!.leads.length}${lists[i]!.nextCursor ? "+" : ""})</span></h2>
        ${lists[i]!.leads.map((lead) => card(c, lead, zoneOf, teamOf))}
        ${lists[i]!.leads.length === 0 ? html`<p class="muted">Nothing here.</p>` : ""}
        ${lists[i]!.nextCursor ? html`<a href="${CONSOLE_BASE}/board/more?${new URLSearchParams({ ...Object.fromEntries(params), state: col.state, cursor: lists[i]!.nextCursor! }).toString()}">More…</a>` : ""}
      </section>`,
    )}
  </div>`;
}

/** GET /console/board/columns: what the board's polling swaps in. */
export async function boardColumns(c: ConsoleContext): Promise<Response> {
  const business = await businessOf(c, "none");
  return c.html(await columns(c, { ...queryOf(c), business }));
}

/** GET /console/board/more?state=&cursor=: the next page of one column (the listing's keyset cursor, §8). */
export async function boardMore(c: ConsoleContext): Promise<Response> {
  const { deps, viewer } = c.var;
  const business = await businessOf(c, "none");
  const state = COLUMNS.find((col) => col.state === c.req.query("state"))?.state ?? "intake";
  const now = deps.clock.now();
  const zone = business?.config.timezone ?? "UTC";
  const list = await leadsPage(deps.db, {
    business: business?.slug, state, q: queryOf(c).q, cursor: c.req.query("cursor")?.slice(0, 400) || undefined, limit: PER_COLUMN, scope: viewer.scope,
    ...(state === "closed" && { closedSince: business ? startOfToday(now, zone) : new Date(now.getTime() - 86_400_000) }),
  });
  const params = new URLSearchParams(c.req.query());
  if (list.nextCursor) params.set("cursor", list.nextCursor);
  return page(
    c,
    "Board",
    html`<h1>${COLUMNS.find((col) => col.state === state)!.title}</h1>
      <p><a href="${CONSOLE_BASE}/board">← Board</a></p>
      <div class="column">${list.leads.map((lead) => card(c, lead, () => zone, () => business))}</div>
      ${list.nextCursor ? html`<p><a href="${CONSOLE_BASE}/board/more?${params.toString()}">More…</a></p>` : ""}`,
  );
}

export const boardPage: ConsolePage = {
  path: `${CONSOLE_BASE}/board`,
  label: "Board",
  wholeBusiness: false,
  async render(c) {
    const { viewer } = c.var;
    const business = await businessOf(c, "none");
    const { q } = queryOf(c);
    const picker = viewer.operator
      ? html`<label for="business" class="muted">Business</label>
          <select id="business" name="business">
            <option value="">Every business</option>
            ${(await allBusinesses(c)).map((b) => html`<option value="${b.slug}" ${b.slug === business?.slug ? "selected" : ""}>${b.name}</option>`)}
          </select>`
      : "";
    return page(
      c,
      "Board",
      html`<h1>Board${business ? html` · ${business.config.name}` : ""}</h1>
        <form class="search" method="get" action="${CONSOLE_BASE}/board" role="search">
          ${picker}
          <label for="q" class="muted">Search</label>
          <input id="q" name="q" type="search" value="${q ?? ""}" placeholder="Phone or name" maxlength="100" />
          <button type="submit">Search</button>
          ${q ? html`<a href="${CONSOLE_BASE}/board${viewer.operator && business ? `?business=${encodeURIComponent(business.slug)}` : ""}">Clear</a>` : ""}
        </form>
        ${await columns(c, { q, business })}`,
    );
  },
};
