import { apiUrl, asRecord, ProviderApiError, requestJson, str, type ProviderApi } from "./provider-api.ts";

/**
 * Vapi's REST API as reconciliation reads it: `GET /call` filtered by creation time (newest
 * first, `limit` per page; the next page is the calls created before the oldest one seen) and
 * `GET /phone-number/:id` for the number a call came in on. Plain fetch rather than
 * @vapi-ai/server-sdk: two GETs do not need the generated client, and the Worker bundle stays small.
 */

/** Vapi's API with its Bearer key. */
export function vapiApi(apiKey: string, baseUrl: string, fetchFn?: typeof fetch): ProviderApi {
  return { provider: "vapi", baseUrl, headers: { authorization: `Bearer ${apiKey}` }, fetch: fetchFn };
}

const PAGE = 100;
const MAX_PAGES = 50;

/** Every call created at or after `since`, as Vapi returns them (call objects, unparsed). */
export async function listVapiCalls(api: ProviderApi, since: Date): Promise<Record<string, unknown>[]> {
  const calls: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  let before: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await requestJson(api, "GET", apiUrl(api, "/call", { createdAtGe: since.toISOString(), createdAtLt: before, limit: PAGE }));
    const items = (Array.isArray(body) ? body : []).map(asRecord);
    let oldest: string | undefined;
    for (const call of items) {
      const id = str(call.id);
      if (!id || seen.has(id)) continue;
      seen.add(id);
      calls.push(call);
      const created = str(call.createdAt);
      if (created && (!oldest || created < oldest)) oldest = created;
    }
    // A short page is the last one; a full page without an older call would repeat itself.
    if (items.length < PAGE || !oldest || oldest === before) return calls;
    before = oldest;
  }
  return calls;
}

/** The number of a Vapi phone number id, or null when Vapi has none for it (deleted since, or a SIP number). */
export async function vapiPhoneNumber(api: ProviderApi, id: string): Promise<string | null> {
  try {
    return str(asRecord(await requestJson(api, "GET", apiUrl(api, `/phone-number/${encodeURIComponent(id)}`))).number);
  } catch (err) {
    if (err instanceof ProviderApiError && err.status === 404) return null;
    throw err;
  }
}

/** Whether Vapi is done with the call (its end-of-call report would have been sent). */
export const vapiCallEnded = (call: Record<string, unknown>) => call.status === "ended";

/** The numbers a call names: the customer's and, when Vapi inlines it, the business's. */
export function vapiCallNumbers(call: Record<string, unknown>): string[] {
  return [str(asRecord(call.customer).number), str(asRecord(call.phoneNumber).number)].filter((n): n is string => n !== null);
}

/**
 * The `end-of-call-report` server message Vapi would have posted for this call: the call object
 * with its artifact and analysis where the webhook carries them, so the webhook's parser reads it.
 */
export function vapiEndOfCallReport(call: Record<string, unknown>): string {
  const artifact = asRecord(call.artifact);
  return JSON.stringify({
    message: {
      type: "end-of-call-report",
      endedReason: call.endedReason ?? null,
      call,
      customer: call.customer ?? null,
      phoneNumber: call.phoneNumber ?? null,
      startedAt: call.startedAt ?? null,
      endedAt: call.endedAt ?? null,
      artifact: {
        ...artifact,
        transcript: artifact.transcript ?? call.transcript ?? null,
        recordingUrl: artifact.recordingUrl ?? call.recordingUrl ?? null,
      },
      analysis: call.analysis ?? null,
    },
  });
}
