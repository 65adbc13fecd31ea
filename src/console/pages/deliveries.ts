import { html } from "hono/html";
import { deliveriesPage, getDelivery } from "../../admin/delivery-log.ts";
import type { BusinessRow } from "../../core/records.ts";
import { DeliveryNotFound } from "../../domain/errors.ts";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../../domain/outbound-event.ts";
import { retryDelivery } from "../../events/retry-delivery.ts";
import { httpErrorOf, type HttpError } from "../../http/error-response.ts";
import { inZone } from "../format.ts";
import { page } from "../layout.ts";
import { CONSOLE_BASE } from "../paths.ts";
import { picker, wholeBusiness } from "./business-pages.ts";
import { csrfField, errorBanner } from "./lead.ts";
import type { ConsoleContext, ConsolePage } from "../console-env.ts";

// The business's outbound event deliveries (CONTRACT §13) in the console: the log of
// GET /api/deliveries with a Retry form calling the same verb as POST /api/deliveries/:id/retry.

const DELIVERIES_PATH = `${CONSOLE_BASE}/deliveries`;
const PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const statusOf = (value: string | undefined): DeliveryStatus | undefined =>
  (DELIVERY_STATUSES as readonly string[]).includes(value ?? "") ? (value as DeliveryStatus) : undefined;

function href(c: ConsoleContext, business: BusinessRow, extra: Record<string, string | undefined>): string {
  const query = new URLSearchParams({ ...(c.var.viewer.operator && { business: business.slug }) });
  for (const [k, v] of Object.entries(extra)) if (v) query.set(k, v);
  const text = query.toString();
  return text ? `${DELIVERIES_PATH}?${text}` : DELIVERIES_PATH;
}

async function renderDeliveries(c: ConsoleContext, failed?: HttpError): Promise<Response> {
  const business = await wholeBusiness(c);
  const zone = business.config.timezone;
  const status = statusOf(c.req.query("status"));
  const cursor = c.req.query("cursor")?.slice(0, 200) || undefined;
  const { deliveries, nextCursor } = await deliveriesPage(c.var.deps.db, { business: business.slug, status, cursor, limit: PAGE_SIZE });
  const done = c.req.query("done");
  return page(
    c,
    "Deliveries",
    html`<h1>Event deliveries · ${business.config.name}</h1>
      ${await picker(c, business, DELIVERIES_PATH)}
      <nav class="search" aria-label="By status">
        <a href="${href(c, business, {})}" ${!status ? html`aria-current="page"` : ""}>all</a>
        ${DELIVERY_STATUSES.map((s) => html`<a href="${href(c, business, { status: s })}" ${status === s ? html`aria-current="page"` : ""}>${s}</a>`)}
      </nav>
      ${done && !failed ? html`<p class="notice" role="status">Done: ${done}.</p>` : ""}
      ${errorBanner(failed)}
      <p class="muted">The events sent to the business's webhooks (events.md), newest first; a retry makes a delivery pending again, due now.</p>
      <table data-table="deliveries"><thead><tr><th>When</th><th>Event</th><th>Status</th><th>Attempts</th><th>Last error</th><th>To</th><th></th></tr></thead><tbody>
        ${deliveries.length
          ? deliveries.map((d) => html`<tr data-delivery="${d.id}">
              <td>${inZone(d.createdAt, zone)}</td><td>${d.event}</td>
              <td><span class="tag ${d.status === "failed" ? "bad" : d.status === "delivered" ? "ok" : "warn"}">${d.status}</span>${d.nextAttemptAt ? html` <span class="muted">next ${inZone(d.nextAttemptAt, zone)}</span>` : ""}</td>
              <td>${d.attempts}</td>
              <td>${d.lastError ?? (d.lastStatus !== null ? `answered ${d.lastStatus}` : "")}</td>
              <td class="muted">${d.url}</td>
              <td><form method="post" action="${DELIVERIES_PATH}/${d.id}/retry${c.var.viewer.operator ? `?business=${encodeURIComponent(business.slug)}` : ""}">${csrfField(c)}<button type="submit" class="secondary">Retry</button></form></td>
            </tr>`)
          : html`<tr><td colspan="7" class="muted">No deliveries${status ? ` ${status}` : ""}.</td></tr>`}
      </tbody></table>
      ${nextCursor ? html`<p><a href="${href(c, business, { status, cursor: nextCursor })}">Older…</a></p>` : ""}`,
    (failed?.status ?? 200) as 200,
  );
}

export const deliveriesConsolePage: ConsolePage = {
  path: DELIVERIES_PATH,
  label: "Deliveries",
  wholeBusiness: true,
  render: (c) => renderDeliveries(c),
};

/** POST /console/deliveries/:id/retry: the verb of POST /api/deliveries/:id/retry, for a delivery of the shown business (404 otherwise). */
export async function deliveryRetry(c: ConsoleContext): Promise<Response> {
  const business = await wholeBusiness(c);
  const id = c.req.param("id") ?? "";
  try {
    if (!UUID.test(id) || (await getDelivery(c.var.deps.db, id)).business !== business.slug) throw new DeliveryNotFound(id.slice(0, 100));
    await retryDelivery(c.var.deps, id);
  } catch (err) {
    const known = httpErrorOf(err);
    if (!known) throw err;
    return renderDeliveries(c, known);
  }
  return c.redirect(href(c, business, { done: "retry queued" }), 303);
}
