import type { Deps } from "../../core/deps.ts";
import type { DeliveryRow } from "../../core/event-claim.ts";
import { hubspotClient, HubspotError } from "../../adapters/crm/hubspot.ts";
import type { HubspotConfig } from "../../domain/integrations-config.ts";
import { readLink, writeLink, type ConnectorLimits, type ConnectorResult, type LeadShown } from "./connector-links.ts";

/**
 * One HubSpot delivery. `lead.accepted`: the contact (found by phone, else created) and a deal
 * in the configured pipeline and stage, associated with it. `lead.closed`: the deal moves to the
 * won stage (booked) or the lost stage. Each id is stored the moment HubSpot gives it
 * (connector_links), so a retry continues where the last attempt stopped; a deal whose creation
 * answer was lost is found again by its name, which carries the lead's code.
 */
export async function syncHubspot(deps: Deps, row: DeliveryRow, config: HubspotConfig, limits: ConnectorLimits): Promise<ConnectorResult> {
  const lead = (JSON.parse(row.body) as { data: { lead: LeadShown } }).data.lead;
  const api = hubspotClient(config.accessToken, { timeoutMs: limits.timeoutMs, budget: AbortSignal.timeout(limits.budgetMs) });
  const link = await readLink(deps, lead.id, "hubspot");
  try {
    if (row.eventType === "lead.closed") {
      if (!link.dealId) return { ok: true, status: 200, detail: { skipped: "no HubSpot deal for this lead: it was never accepted, or its lead.accepted delivery failed (retry that one first)" } };
      const stage = lead.outcome === "booked" ? config.wonStage : config.lostStage;
      await api.updateDeal(link.dealId, { dealstage: stage });
      return { ok: true, status: 200, detail: { dealId: link.dealId, dealstage: stage } };
    }
    if (!link.contactId) {
      const [firstname, ...rest] = (lead.fullName ?? "").trim().split(/\s+/);
      link.contactId =
        (lead.phone ? await api.findContactByPhone(lead.phone) : null) ??
        (await api.createContact({
          ...(firstname && { firstname }),
          ...(rest.length && { lastname: rest.join(" ") }),
          ...(lead.phone && { phone: lead.phone }),
          ...(lead.serviceAddress && { address: lead.serviceAddress }),
        }));
      await writeLink(deps, lead.id, "hubspot", link);
    }
    if (!link.dealId) {
      const dealname = `${lead.business} #${lead.code}: ${lead.serviceType ?? "lead"}${lead.fullName ? ` for ${lead.fullName}` : ""}`.slice(0, 200);
      link.dealId =
        (await api.findDealByName(dealname)) ??
        (await api.createDeal({ dealname, pipeline: config.pipeline, dealstage: config.dealStage, ...(lead.summaryNotes && { description: lead.summaryNotes }) }, link.contactId));
      await writeLink(deps, lead.id, "hubspot", link);
    }
    return { ok: true, status: 200, detail: { contactId: link.contactId, dealId: link.dealId } };
  } catch (err) {
    if (err instanceof HubspotError) return { ok: false, status: err.status, error: err.message };
    throw err;
  }
}
