import { apiUrl, asRecord, requestJson, str, type ProviderApi } from "./provider-api.ts";

/**
 * Bland's REST API as reconciliation reads it: `GET /v1/calls` (newest first by `created_at`,
 * pages by index range `from`/`to`; each item is the call's metadata) and `GET /v1/calls/:id`
 * for the whole call, which is what the post-call webhook posts. Bland keeps no official JS SDK;
 * plain fetch with its documented shapes.
 */

/** Bland's API; its key goes in `authorization` as it is, without "Bearer". */
export function blandApi(apiKey: string, baseUrl: string, fetchFn?: typeof fetch): ProviderApi {
  return { provider: "bland", baseUrl, headers: { authorization: apiKey }, fetch: fetchFn };
}

const PAGE = 100;
const MAX_PAGES = 50;

/** Every call created at or after `since`, as list items (metadata). */
export async function listBlandCalls(api: ProviderApi, since: Date): Promise<Record<string, unknown>[]> {
  const calls: Record<string, unknown>[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const from = page * PAGE;
    const body = asRecord(
      await requestJson(api, "GET", apiUrl(api, "/v1/calls", { ascending: false, sort_by: "created_at", from, to: from + PAGE, limit: PAGE })),
    );
    const items = Array.isArray(body.calls) ? body.calls.map(asRecord) : [];
    let older = false;
    for (const call of items) {
      const created = Date.parse(String(call.created_at ?? ""));
      if (!Number.isNaN(created) && created < since.getTime()) {
        older = true;
        continue;
      }
      if (str(call.call_id) ?? typeof call.call_id === "number") calls.push(call);
    }
    // Newest first: once a page reaches calls older than `since`, nothing after it is wanted.
    if (older || items.length < PAGE) return calls;
  }
  return calls;
}

/** One call, whole (transcript, summary, variables): the post-call webhook's body. */
export async function getBlandCall(api: ProviderApi, callId: string): Promise<Record<string, unknown>> {
  return asRecord(await requestJson(api, "GET", apiUrl(api, `/v1/calls/${encodeURIComponent(callId)}`)));
}

/** Whether Bland is done with the call. */
export const blandCallOver = (call: Record<string, unknown>) =>
  call.completed === true || ["complete", "completed"].includes(String(call.queue_status ?? call.status ?? ""));

/** Both ends' numbers. */
export function blandCallNumbers(call: Record<string, unknown>): string[] {
  return [str(call.to), str(call.from)].filter((n): n is string => n !== null);
}
