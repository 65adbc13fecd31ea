import { apiUrl, asRecord, requestJson, str, type ProviderApi } from "./provider-api.ts";

/**
 * Retell's REST API as reconciliation reads it: `POST /v3/list-calls` (cursor pages:
 * `pagination_key` and `has_more`; the items omit the transcript and recording) and
 * `GET /v2/get-call/:id` for the whole call. Plain fetch with the documented shapes: the
 * retell-sdk adds nothing two requests need, and the Worker bundle stays small.
 */

/** Retell's API with its Bearer key. */
export function retellApi(apiKey: string, baseUrl: string, fetchFn?: typeof fetch): ProviderApi {
  return { provider: "retell", baseUrl, headers: { authorization: `Bearer ${apiKey}` }, fetch: fetchFn };
}

const PAGE = 100;
const MAX_PAGES = 50;

/** Every call that started at or after `since`, oldest first, as list items (no transcript). */
export async function listRetellCalls(api: ProviderApi, since: Date): Promise<Record<string, unknown>[]> {
  const calls: Record<string, unknown>[] = [];
  let paginationKey: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = asRecord(
      await requestJson(api, "POST", apiUrl(api, "/v3/list-calls"), {
        filter_criteria: { start_timestamp: { type: "number", op: "ge", value: since.getTime() } },
        sort_order: "ascending",
        limit: PAGE,
        ...(paginationKey && { pagination_key: paginationKey }),
      }),
    );
    const items = Array.isArray(body.items) ? body.items.map(asRecord) : [];
    calls.push(...items.filter((c) => str(c.call_id)));
    const next = str(body.pagination_key);
    if (body.has_more !== true || !next || next === paginationKey) return calls;
    paginationKey = next;
  }
  return calls;
}

/** One call, whole (transcript, analysis, recording). */
export async function getRetellCall(api: ProviderApi, callId: string): Promise<Record<string, unknown>> {
  return asRecord(await requestJson(api, "GET", apiUrl(api, `/v2/get-call/${encodeURIComponent(callId)}`)));
}

/** Whether Retell is done with the call: it ended, never connected, or failed. */
export const retellCallOver = (call: Record<string, unknown>) => ["ended", "not_connected", "error"].includes(String(call.call_status));

/** Whether the call's post-call analysis is in (what `call_analyzed` carries). */
export const retellCallAnalyzed = (call: Record<string, unknown>) => Object.keys(asRecord(call.call_analysis)).length > 0;

/** Both ends' numbers. */
export function retellCallNumbers(call: Record<string, unknown>): string[] {
  return [str(call.from_number), str(call.to_number)].filter((n): n is string => n !== null);
}

/** The webhook body Retell would have posted for this call and event. */
export const retellWebhookBody = (event: "call_ended" | "call_analyzed", call: Record<string, unknown>) => JSON.stringify({ event, call });
