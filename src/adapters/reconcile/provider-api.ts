/**
 * One JSON request to a provider's REST API, for reconciliation's list and get calls. Failures
 * come back as ProviderApiError saying whether trying again may help (429, 5xx, a network
 * failure, a timeout) and how long the provider asked us to wait (Retry-After).
 */

/** A provider API call that failed; `retryable` when a later attempt may succeed. */
export class ProviderApiError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    /** The provider's Retry-After, in milliseconds, when it sent one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "ProviderApiError";
  }
}

/** Where and how to reach one provider's API. */
export interface ProviderApi {
  provider: string;
  baseUrl: string;
  /** Headers every request carries (the provider's auth). */
  headers: Record<string, string>;
  /** The fetch to use (the global one by default; read at call time so a test's interceptor sees it). */
  fetch?: typeof fetch;
  /** Per-request timeout; a provider that hangs must not hold a run past its lease. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** `path` (with its query) under the API's base URL, which may itself carry a path prefix. */
export function apiUrl(api: ProviderApi, path: string, query: Record<string, string | number | boolean | undefined> = {}): string {
  const url = new URL(api.baseUrl.replace(/\/+$/, "") + path);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
  return url.toString();
}

/** Sends one request and answers its JSON body, or throws ProviderApiError. */
export async function requestJson(api: ProviderApi, method: "GET" | "POST", url: string, body?: unknown): Promise<unknown> {
  const doFetch = api.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method,
      headers: { accept: "application/json", ...(body !== undefined && { "content-type": "application/json" }), ...api.headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(api.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (err) {
    throw new ProviderApiError(api.provider, `${api.provider} API unreachable: ${err instanceof Error ? err.message : String(err)}`, null, true);
  }
  if (!response.ok) {
    const detail = (await response.text().catch(() => "")).slice(0, 300);
    const retryable = response.status === 429 || response.status >= 500 || response.status === 408;
    throw new ProviderApiError(
      api.provider,
      `${api.provider} API answered ${response.status} to ${method} ${new URL(url).pathname}${detail ? `: ${detail}` : ""}`,
      response.status,
      retryable,
      retryAfterMs(response.headers.get("retry-after")),
    );
  }
  try {
    return await response.json();
  } catch {
    throw new ProviderApiError(api.provider, `${api.provider} API answered ${method} ${new URL(url).pathname} with a body that is not JSON`, response.status, true);
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A value as a plain object, or an empty one (providers' lists are read leniently). */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A string field, or null. */
export const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
