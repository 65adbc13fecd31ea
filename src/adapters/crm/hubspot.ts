/**
 * The slice of HubSpot's CRM v3 REST API the connector uses, with fetch and the shapes HubSpot
 * documents (developers.hubspot.com/docs/api/crm/contacts, …/deals, …/search). Not the
 * official @hubspot/api-client: on Node 20 it adds about 900 KiB gzip to the Worker, whose
 * bundle is already near 1 MiB of the 1.5 MiB we allow ourselves.
 */

export const HUBSPOT_API = "https://api.hubapi.com";

/** A HubSpot answer that was not a success; `status` says whether a retry can help (429, 5xx). */
export class HubspotError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** HubSpot's association type of a deal to its contact (HUBSPOT_DEFINED). */
const DEAL_TO_CONTACT = 3;

/**
 * `budget`, when given, ends every call once it aborts: the time all of one attempt's calls get
 * together, besides each call's own `timeoutMs`.
 */
export function hubspotClient(accessToken: string, opts: { baseUrl?: string; timeoutMs?: number; budget?: AbortSignal; fetchImpl?: typeof fetch } = {}) {
  const base = opts.baseUrl ?? HUBSPOT_API;
  const doFetch = opts.fetchImpl ?? fetch;
  async function call<T>(method: string, path: string, body: unknown): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.any([AbortSignal.timeout(opts.timeoutMs ?? 15_000), ...(opts.budget ? [opts.budget] : [])]),
      });
    } catch (err) {
      if (opts.budget?.aborted) throw new HubspotError(null, `HubSpot ${method} ${path}: the attempt ran out of the time its calls get together; what it made is kept for the retry`);
      throw new HubspotError(null, `HubSpot unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {}
      throw new HubspotError(res.status, `HubSpot ${method} ${path} answered ${res.status}: ${message}`);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }
  type Found = { total: number; results: { id: string }[] };
  const searchOne = async (object: "contacts" | "deals", propertyName: string, value: string) => {
    const found = await call<Found>("POST", `/crm/v3/objects/${object}/search`, {
      filterGroups: [{ filters: [{ propertyName, operator: "EQ", value }] }],
      properties: [propertyName],
      limit: 1,
    });
    return found.results[0]?.id ?? null;
  };
  return {
    /** The id of a contact whose `phone` is exactly this, or null. */
    findContactByPhone: (phone: string) => searchOne("contacts", "phone", phone),
    createContact: async (properties: Record<string, string>) => (await call<{ id: string }>("POST", "/crm/v3/objects/contacts", { properties })).id,
    /** The id of a deal named exactly this, or null (how a retry after a lost answer finds the deal it made). */
    findDealByName: (name: string) => searchOne("deals", "dealname", name),
    createDeal: async (properties: Record<string, string>, contactId: string) =>
      (
        await call<{ id: string }>("POST", "/crm/v3/objects/deals", {
          properties,
          associations: [{ to: { id: contactId }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: DEAL_TO_CONTACT }] }],
        })
      ).id,
    updateDeal: async (dealId: string, properties: Record<string, string>) => {
      await call("PATCH", `/crm/v3/objects/deals/${encodeURIComponent(dealId)}`, { properties });
    },
  };
}
