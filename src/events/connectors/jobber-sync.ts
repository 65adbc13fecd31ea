import type { Deps } from "../../core/deps.ts";
import type { DeliveryRow } from "../../core/event-claim.ts";
import { jobberClient, JobberError } from "../../adapters/crm/jobber.ts";
import { jobberClientName, jobberClosedNote, jobberRequestTitle, jobberSummaryNote } from "../../domain/copy/jobber-records.ts";
import { JOBBER_API, type JobberConfig } from "../../domain/integrations-config.ts";
import { readLink, writeLink, type ConnectorLimits, type ConnectorResult, type LeadShown } from "./connector-links.ts";
import { jobberAuth } from "./jobber-tokens.ts";

type JobberLead = LeadShown & { promisedNextStep?: string | null; urgency?: string | null; source?: string | null };

/**
 * One Jobber delivery. `lead.accepted`: the client (found by phone, else created, with the
 * service address as its property), a request titled with the lead's code, and a note on it with
 * what intake learned. `lead.closed`: a note saying how the lead closed, and unless it closed
 * `booked` (the team takes it on in Jobber as a quote or job) the request is archived. Each id is
 * stored the moment Jobber gives it (connector_links), so a retry continues where the last
 * attempt stopped; a request whose creation answer was lost is found again by its title.
 */
export async function syncJobber(deps: Deps, row: DeliveryRow, config: JobberConfig, { timeoutMs, budgetMs }: ConnectorLimits): Promise<ConnectorResult> {
  const lead = (JSON.parse(row.body) as { data: { lead: JobberLead } }).data.lead;
  const budget = AbortSignal.timeout(budgetMs);
  const baseUrl = config.baseUrl ?? JOBBER_API;
  const api = jobberClient({ baseUrl, apiVersion: config.apiVersion, timeoutMs, budget, auth: jobberAuth(deps, row.businessId, config, { timeoutMs, budget }) });
  const link = await readLink(deps, lead.id, "jobber");
  const save = () => writeLink(deps, lead.id, "jobber", link);
  try {
    if (row.eventType === "lead.closed") {
      if (!link.requestId) return { ok: true, status: 200, detail: { skipped: "no Jobber request for this lead: it was never accepted, or its lead.accepted delivery failed (retry that one first)" } };
      const outcome = lead.outcome ?? "closed";
      const archive = outcome !== "booked";
      if (link.closedAs !== outcome) {
        link.closedNoteId = await api.addRequestNote(link.requestId, jobberClosedNote(outcome, archive));
        link.closedAs = outcome;
        await save();
      }
      if (archive && link.archived !== "true") {
        await api.archiveRequest(link.requestId);
        link.archived = "true";
        await save();
      }
      return { ok: true, status: 200, detail: { requestId: link.requestId, closedAs: outcome, archived: String(archive) } };
    }
    let madeClient = false;
    if (!link.clientId) {
      const found = lead.phone ? await api.findClientByPhone(lead.phone) : null;
      if (found) link.clientId = found;
      else {
        link.clientId = await api.createClient({
          ...jobberClientName(lead.fullName, lead.code),
          ...(lead.phone && { phones: [{ number: lead.phone, primary: true, description: "MAIN" }] }),
          ...(lead.serviceAddress && { properties: [{ address: { street1: lead.serviceAddress } }] }),
        });
        madeClient = true;
      }
      await save();
    }
    if (!link.requestId) {
      const title = jobberRequestTitle(lead.serviceType, lead.code);
      // A client made just now has no requests; one found or made earlier may hold this lead's.
      link.requestId = (madeClient ? null : await api.findRequestByTitle(link.clientId, title)) ?? (await api.createRequest({ clientId: link.clientId, title }));
      await save();
    }
    const summary = jobberSummaryNote(lead);
    if (summary && !link.summaryNoteId) {
      link.summaryNoteId = await api.addRequestNote(link.requestId, summary);
      await save();
    }
    return { ok: true, status: 200, detail: { clientId: link.clientId, requestId: link.requestId } };
  } catch (err) {
    if (err instanceof JobberError) return { ok: false, status: err.status, error: err.message };
    throw err;
  }
}
