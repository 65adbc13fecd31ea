/**
 * The slice of Jobber's API the connector uses, with fetch and the shapes Jobber documents:
 * the OAuth token endpoint (developer.getjobber.com/docs/building_your_app/app_authorization,
 * form-encoded `client_id`, `client_secret`, `grant_type=refresh_token`, `refresh_token`; the
 * answer `{ access_token, refresh_token }`, the access token a JWT whose `exp` says when it
 * expires) and the GraphQL endpoint (…/using_jobbers_api/api_queries_and_mutations: POST JSON
 * `{ query, variables }`, `Authorization: Bearer`, the dated `X-JOBBER-GRAPHQL-VERSION`; a
 * mutation answers `{ <object>, userErrors: [{ message, path }] }`).
 */

/** A Jobber answer that was not a success; `status` is Jobber's HTTP status (null: no answer). */
export class JobberError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** The token endpoint turned the refresh token down (revoked, or already spent): only reconnecting helps. */
export class JobberRefreshRejected extends JobberError {}

/** The tokens one refresh gave. */
export interface JobberTokenPair {
  accessToken: string;
  refreshToken: string;
  /** From the access token's `exp`, else the answer's `expires_at`; null if neither says. */
  expiresAt: Date | null;
}

interface HttpOpts {
  baseUrl: string;
  /** Each call's own limit. */
  timeoutMs: number;
  /** When it aborts, every call ends: the time all of one attempt's calls get together. */
  budget?: AbortSignal;
  fetchImpl?: typeof fetch;
}

async function send(opts: HttpOpts, path: string, init: RequestInit, what: string): Promise<{ status: number; text: string }> {
  try {
    const signal = AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), ...(opts.budget ? [opts.budget] : [])]);
    const res = await (opts.fetchImpl ?? fetch)(`${opts.baseUrl.replace(/\/+$/, "")}${path}`, { ...init, signal });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    if (opts.budget?.aborted) throw new JobberError(null, `${what}: the attempt ran out of the time its calls get together; what it made is kept for the retry`);
    const name = err instanceof Error ? err.name : "";
    if (name === "TimeoutError" || name === "AbortError") throw new JobberError(null, `${what}: no answer within ${opts.timeoutMs / 1000} s`);
    throw new JobberError(null, `${what}: Jobber unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Exchanges a refresh token for a new pair. Jobber rotates: the token sent is spent once this answers. */
export async function refreshJobberTokens(opts: HttpOpts & { clientId: string; clientSecret: string; refreshToken: string }): Promise<JobberTokenPair> {
  const body = new URLSearchParams({ client_id: opts.clientId, client_secret: opts.clientSecret, grant_type: "refresh_token", refresh_token: opts.refreshToken });
  const res = await send(opts, "/api/oauth/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body }, "Jobber token refresh");
  let parsed: { access_token?: string; refresh_token?: string; expires_at?: string; error?: string; error_description?: string; message?: string } = {};
  try {
    parsed = JSON.parse(res.text);
  } catch {}
  if (res.status < 200 || res.status >= 300 || !parsed.access_token || !parsed.refresh_token) {
    const reason = parsed.error_description ?? parsed.message ?? parsed.error ?? res.text.slice(0, 300);
    const message = `Jobber token refresh answered ${res.status}: ${reason}`;
    // 400/401: the grant is dead (revoked, disconnected, spent); 5xx and the like may pass.
    throw res.status === 400 || res.status === 401 ? new JobberRefreshRejected(res.status, message) : new JobberError(res.status, message);
  }
  return { accessToken: parsed.access_token, refreshToken: parsed.refresh_token, expiresAt: accessExpiry(parsed.access_token, parsed.expires_at) };
}

/** When an access token expires: its JWT `exp`, else the answer's `expires_at`, else unknown. */
export function accessExpiry(accessToken: string, expiresAt?: string): Date | null {
  try {
    const payload = accessToken.split(".")[1];
    if (payload) {
      const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
      if (typeof json.exp === "number") return new Date(json.exp * 1000);
    }
  } catch {}
  const at = expiresAt ? new Date(expiresAt) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

/** How the client gets a bearer token, and a fresh one when Jobber answers 401 to `rejected`. */
export interface JobberAuth {
  token(): Promise<string>;
  renew(rejected: string): Promise<string>;
}

type UserErrors = { message: string; path?: string[] }[];

/** A client whose phones include this number, by Jobber's own normalised E.164 form. */
const FIND_CLIENT = `query FindClientByPhone($searchTerm: String!) {
  clients(searchTerm: $searchTerm, searchFields: [PHONES], first: 10) { nodes { id phones { number normalizedPhoneNumber } } }
}`;
const CREATE_CLIENT = `mutation CreateClient($input: ClientCreateInput!) {
  clientCreate(input: $input) { client { id } userErrors { message path } }
}`;
const CLIENT_REQUESTS = `query ClientRequests($clientId: EncodedId!) {
  client(id: $clientId) { requests(first: 50) { nodes { id title } } }
}`;
const CREATE_REQUEST = `mutation CreateRequest($input: RequestCreateInput!) {
  requestCreate(input: $input) { request { id } userErrors { message path } }
}`;
const REQUEST_NOTE = `mutation NoteOnRequest($requestId: EncodedId!, $input: RequestCreateNoteInput!) {
  requestCreateNote(requestId: $requestId, input: $input) { requestNote { id } userErrors { message path } }
}`;
const ARCHIVE_REQUEST = `mutation ArchiveRequest($requestId: EncodedId!) {
  requestArchive(requestId: $requestId) { request { id } userErrors { message path } }
}`;

/** The documented queries and mutations the connector needs, over one authenticated GraphQL call. */
export function jobberClient(opts: HttpOpts & { apiVersion: string; auth: JobberAuth }) {
  async function post(token: string, query: string, variables: Record<string, unknown>, what: string) {
    return send(
      opts,
      "/api/graphql",
      {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json", "x-jobber-graphql-version": opts.apiVersion },
        body: JSON.stringify({ query, variables }),
      },
      `Jobber ${what}`,
    );
  }
  async function call<T>(query: string, variables: Record<string, unknown>, what: string): Promise<T> {
    const token = await opts.auth.token();
    let res = await post(token, query, variables, what);
    // Expired or revoked early: one fresh token, one more try.
    if (res.status === 401) res = await post(await opts.auth.renew(token), query, variables, what);
    if (res.status < 200 || res.status >= 300) throw new JobberError(res.status, `Jobber ${what} answered ${res.status}: ${res.text.slice(0, 300)}`);
    let body: { data?: T; errors?: { message: string }[] };
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new JobberError(res.status, `Jobber ${what} answered ${res.status} with a body that is not JSON`);
    }
    // GraphQL answers 200 with `errors` (a throttle, a field this version lacks): not a success.
    if (body.errors?.length) throw new JobberError(res.status, `Jobber ${what}: ${body.errors.map((e) => e.message).join("; ")}`);
    if (!body.data) throw new JobberError(res.status, `Jobber ${what} answered without data`);
    return body.data;
  }
  async function mutate<K extends string, O>(query: string, variables: Record<string, unknown>, field: K, object: string): Promise<O> {
    const data = await call<Record<K, (Record<string, O | null> & { userErrors: UserErrors }) | null>>(query, variables, field);
    const payload = data[field];
    if (payload?.userErrors?.length) {
      throw new JobberError(200, `Jobber ${field} refused: ${payload.userErrors.map((e) => (e.path?.length ? `${e.path.join(".")}: ${e.message}` : e.message)).join("; ")}`);
    }
    const made = payload?.[object];
    if (!made) throw new JobberError(200, `Jobber ${field} answered without a ${object}`);
    return made;
  }
  return {
    /** The id of a client with a phone whose normalised form is exactly `phone` (E.164), or null. */
    async findClientByPhone(phone: string): Promise<string | null> {
      const data = await call<{ clients: { nodes: { id: string; phones: { number: string; normalizedPhoneNumber: string | null }[] }[] } }>(FIND_CLIENT, { searchTerm: phone }, "clients search");
      return data.clients.nodes.find((c) => c.phones.some((p) => p.normalizedPhoneNumber === phone || p.number === phone))?.id ?? null;
    },
    createClient: async (input: Record<string, unknown>) => (await mutate<"clientCreate", { id: string }>(CREATE_CLIENT, { input }, "clientCreate", "client")).id,
    /** The id of the client's request titled exactly this, or null (how a retry after a lost answer finds it). */
    async findRequestByTitle(clientId: string, title: string): Promise<string | null> {
      const data = await call<{ client: { requests: { nodes: { id: string; title: string | null }[] } } | null }>(CLIENT_REQUESTS, { clientId }, "client requests");
      return data.client?.requests.nodes.find((r) => r.title === title)?.id ?? null;
    },
    createRequest: async (input: { clientId: string; title: string }) => (await mutate<"requestCreate", { id: string }>(CREATE_REQUEST, { input }, "requestCreate", "request")).id,
    addRequestNote: async (requestId: string, message: string) =>
      (await mutate<"requestCreateNote", { id: string }>(REQUEST_NOTE, { requestId, input: { message } }, "requestCreateNote", "requestNote")).id,
    archiveRequest: async (requestId: string) => {
      await mutate<"requestArchive", { id: string }>(ARCHIVE_REQUEST, { requestId }, "requestArchive", "request");
    },
  };
}
