import { http, HttpResponse } from "msw";
import type { setupServer } from "msw/node";
import type { TestClock } from "../../src/adapters/clock/clock.ts";

export const JOBBER = "https://api.getjobber.com";
export const CLIENT_ID = "c3a1e0f2-5b7d-4e19-9a2c-8f6d4b1e7a03";
export const CLIENT_SECRET = "5f1b9c2e7d4a8f3b6e0c9d2a7f4b1e8c5d3a6f9b2e7c4d1a8f5b3e6c9d2a7f41";

/** An access token as Jobber issues it: a JWT whose payload's `exp` says when it expires. */
export function jobberJwt(exp: Date, n: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ typ: "JWT", alg: "HS256" })}.${part({ sub: 1234567, account_id: 7654321, exp: Math.floor(exp.getTime() / 1000), n })}.c2lnbmF0dXJlLW9ubHktamJiZXI`;
}

/** One GraphQL call as Jobber received it. */
export interface SeenCall {
  operation: string;
  auth: string | null;
  version: string | null;
  contentType: string | null;
  variables: Record<string, any>;
}

export interface FakeJobberOpts {
  /** The refresh token the account was connected with. */
  seed: string;
  clock: TestClock;
  /** A client already in Jobber with this phone (shown as Jobber stores it, with its normalised form). */
  existingClient?: { id: string; phone: string };
  /** An answer instead of the documented one for the n-th (1-based) call of an operation; undefined: the usual. */
  override?: (operation: string, n: number) => Response | "lost" | undefined;
  /** An answer instead of a token for the n-th refresh; undefined: rotate. */
  tokenOverride?: (n: number) => Response | undefined;
  tokenDelayMs?: number;
  /** How long each GraphQL call takes to answer. */
  graphqlDelayMs?: number;
}

/**
 * Jobber at its HTTP edge, from the documented shapes: the token endpoint rotates refresh tokens
 * (the one redeemed stops working; redeeming it again is answered 400 "The provided refresh
 * token is not valid") and issues JWT access tokens living an hour; the GraphQL endpoint answers
 * 401 to a token it did not issue or that expired, and each operation as documented, with
 * `userErrors`. Everything received is recorded.
 */
export function fakeJobber(edge: ReturnType<typeof setupServer>, opts: FakeJobberOpts) {
  const state = {
    liveRefresh: opts.seed,
    tokenRequests: [] as { contentType: string | null; form: Record<string, string>; status: number }[],
    access: new Map<string, Date>(),
    revoked: new Set<string>(),
    calls: [] as SeenCall[],
    requests: [] as { id: string; clientId: string; title: string }[],
    clients: 0,
    notes: 0,
    issued: 0,
  };
  const count = new Map<string, number>();
  edge.use(
    http.post(`${JOBBER}/api/oauth/token`, async ({ request }) => {
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      const entry = { contentType: request.headers.get("content-type"), form, status: 200 };
      state.tokenRequests.push(entry);
      if (opts.tokenDelayMs) await new Promise((r) => setTimeout(r, opts.tokenDelayMs));
      const custom = opts.tokenOverride?.(state.tokenRequests.length);
      if (custom) return ((entry.status = custom.status), custom);
      if (form.client_id !== CLIENT_ID || form.client_secret !== CLIENT_SECRET || form.grant_type !== "refresh_token" || form.refresh_token !== state.liveRefresh) {
        entry.status = 400;
        return HttpResponse.json({ error: "invalid_grant", error_description: "The provided refresh token is not valid." }, { status: 400 });
      }
      const n = ++state.issued;
      const accessToken = jobberJwt(new Date(opts.clock.now().getTime() + 3600_000), n);
      state.access.set(accessToken, new Date(opts.clock.now().getTime() + 3600_000));
      state.liveRefresh = `rt-${n}-${opts.seed}`;
      return HttpResponse.json({ access_token: accessToken, refresh_token: state.liveRefresh });
    }),
    http.post(`${JOBBER}/api/graphql`, async ({ request }) => {
      const body = (await request.json()) as { query: string; variables: Record<string, any> };
      const operation = /^(?:query|mutation)\s+(\w+)/.exec(body.query.trim())?.[1] ?? "?";
      const auth = request.headers.get("authorization");
      state.calls.push({ operation, auth, version: request.headers.get("x-jobber-graphql-version"), contentType: request.headers.get("content-type"), variables: body.variables });
      const token = auth?.replace(/^Bearer /, "") ?? "";
      const expires = state.access.get(token);
      if (!expires || expires <= opts.clock.now() || state.revoked.has(token)) return HttpResponse.json({ message: "Invalid Token Error" }, { status: 401 });
      const n = (count.get(operation) ?? 0) + 1;
      count.set(operation, n);
      if (opts.graphqlDelayMs) await new Promise((r) => setTimeout(r, opts.graphqlDelayMs));
      const custom = opts.override?.(operation, n);
      if (custom && custom !== "lost") return custom;
      const answer = respond(operation, body.variables);
      // The work is done in Jobber, but the answer never reaches us.
      if (custom === "lost") return HttpResponse.json({ error: "upstream timeout" }, { status: 504 });
      return HttpResponse.json(answer);
    }),
  );
  function respond(operation: string, v: Record<string, any>): object {
    switch (operation) {
      case "FindClientByPhone": {
        const c = opts.existingClient;
        const nodes = c && c.phone === v.searchTerm ? [{ id: c.id, phones: [{ number: "(512) 555-0182", normalizedPhoneNumber: c.phone }] }] : [];
        return { data: { clients: { nodes } } };
      }
      case "CreateClient":
        return { data: { clientCreate: { client: { id: `Z2lkOi8vSm9iYmVyL0NsaWVudC8${++state.clients}` }, userErrors: [] } } };
      case "ClientRequests":
        return { data: { client: { requests: { nodes: state.requests.filter((r) => r.clientId === v.clientId).map(({ id, title }) => ({ id, title })) } } } };
      case "CreateRequest": {
        const id = `Z2lkOi8vSm9iYmVyL1JlcXVlc3Qv${state.requests.length + 1}`;
        state.requests.push({ id, clientId: v.input.clientId, title: v.input.title });
        return { data: { requestCreate: { request: { id }, userErrors: [] } } };
      }
      case "NoteOnRequest":
        return { data: { requestCreateNote: { requestNote: { id: `Z2lkOi8vSm9iYmVyL05vdGUv${++state.notes}` }, userErrors: [] } } };
      case "ArchiveRequest":
        return { data: { requestArchive: { request: { id: v.requestId }, userErrors: [] } } };
      default:
        return { errors: [{ message: `Field '${operation}' doesn't exist` }] };
    }
  }
  return state;
}

/** A `userErrors` answer as Jobber gives one: HTTP 200, the object null. */
export function userErrors(field: string, object: string, message: string, path: string[]): Response {
  return HttpResponse.json({ data: { [field]: { [object]: null, userErrors: [{ message, path }] } } });
}
