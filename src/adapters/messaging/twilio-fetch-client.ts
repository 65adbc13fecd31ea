import type twilio from "twilio";

/** What the SDK hands its HTTP client (BaseTwilio.request), and what it expects back. */
interface SdkRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  timeout?: number;
}

/**
 * The SDK's pluggable `httpClient` on `fetch`: the SDK still builds the request (fields,
 * auth, User-Agent) and parses the answer into its records and exceptions; only the wire
 * changes. Values are form-encoded the way the SDK's client does (arrays repeat the name).
 */
export function fetchHttpClient(): twilio.RequestClient {
  const form = (values: Record<string, unknown>) => {
    const out = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) {
      for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) out.append(name, String(v));
    }
    return out;
  };
  const client = {
    async request(opts: SdkRequest) {
      const url = new URL(opts.uri);
      for (const [name, value] of form(opts.params ?? {})) url.searchParams.append(name, value);
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.username && opts.password) headers.Authorization = `Basic ${btoa(`${opts.username}:${opts.password}`)}`;
      const response = await fetch(url, {
        method: opts.method.toUpperCase(),
        headers,
        body: opts.data ? form(opts.data).toString() : undefined,
        signal: AbortSignal.timeout(opts.timeout ?? 30_000),
      });
      // A string body: the SDK's Version.create and its exceptions JSON-parse it themselves.
      return { statusCode: response.status, body: await response.text(), headers: Object.fromEntries(response.headers) };
    },
  };
  // The SDK types httpClient as its axios RequestClient class; it only ever calls request().
  return client as unknown as twilio.RequestClient;
}
