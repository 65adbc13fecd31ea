import { http, HttpResponse } from "msw";
import type { setupServer } from "msw/node";
import { fixture } from "./sign-fixture.ts";
import { TWILIO_API } from "./vendor-edge.ts";

// Fakes of the providers' list and get endpoints at the vendor edge (msw), answering with the
// documented request and response shapes, pagination included, from an in-memory set of calls.
// Each records the requests it saw, checks the auth its provider documents, and can be told to
// fail the next requests (an outage, a rate limit).

type Server = ReturnType<typeof setupServer>;
type Json = Record<string, any>;

interface Faults {
  /** Answer the next `n` requests with this status (and headers) instead. */
  failNext(n: number, status?: number, headers?: Record<string, string>): void;
}

function faults() {
  let left = 0;
  let status = 503;
  let headers: Record<string, string> = {};
  return {
    failNext(n: number, s = 503, h: Record<string, string> = {}) {
      left = n;
      status = s;
      headers = h;
    },
    /** A failure to answer with, if one is due. */
    take(): Response | null {
      if (left <= 0) return null;
      left--;
      return HttpResponse.json({ message: "service unavailable" }, { status, headers });
    },
  };
}

const unauthorized = () => HttpResponse.json({ message: "Unauthorized" }, { status: 401 });

// ---- Vapi: GET /call (createdAtGe/createdAtLt/limit, newest first), GET /phone-number/:id

export const VAPI_API = "https://api.vapi.ai";
const vapiReport = () => JSON.parse(fixture("vapi/complete-call")).message as Json;

/** A Vapi call object as GET /call lists it (from the complete-call fixture), created `at`. */
export function vapiCall(id: string, at: Date, over: Json = {}): Json {
  const m = vapiReport();
  // The caller's own number is the one the analysis heard, so each call is its own caller's.
  const customer = over.customer ?? m.customer;
  const analysis = { ...m.analysis, structuredData: { ...m.analysis.structuredData, callback_number: customer.number } };
  return {
    ...m.call,
    id,
    createdAt: at.toISOString(),
    updatedAt: new Date(at.getTime() + 180_000).toISOString(),
    startedAt: new Date(at.getTime() + 1_000).toISOString(),
    endedAt: new Date(at.getTime() + 180_000).toISOString(),
    status: "ended",
    endedReason: m.endedReason,
    customer: m.customer,
    phoneNumberId: m.phoneNumber.id,
    artifact: m.artifact,
    analysis,
    ...over,
  };
}

/** The end-of-call report Vapi would post for a call of vapiCall (its webhook). */
export function vapiWebhook(call: Json): string {
  const m = vapiReport();
  return JSON.stringify({ message: { ...m, call: { ...m.call, id: call.id }, customer: call.customer, analysis: call.analysis } });
}

export function fakeVapi(server: Server, apiKey: string, base = VAPI_API) {
  const calls: Json[] = [];
  const phoneNumbers = new Map<string, string>([[vapiReport().phoneNumber.id, vapiReport().phoneNumber.number]]);
  const requests: URL[] = [];
  const fault = faults();
  server.use(
    http.get(`${base}/call`, ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      if (request.headers.get("authorization") !== `Bearer ${apiKey}`) return unauthorized();
      const failed = fault.take();
      if (failed) return failed;
      const ge = url.searchParams.get("createdAtGe");
      const lt = url.searchParams.get("createdAtLt");
      const limit = Number(url.searchParams.get("limit") ?? 100);
      const page = calls
        .filter((c) => (!ge || c.createdAt >= ge) && (!lt || c.createdAt < lt))
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
        .slice(0, limit);
      return HttpResponse.json(page);
    }),
    http.get(`${base}/phone-number/:id`, ({ request, params }) => {
      if (request.headers.get("authorization") !== `Bearer ${apiKey}`) return unauthorized();
      const number = phoneNumbers.get(String(params.id));
      return number ? HttpResponse.json({ id: params.id, number, provider: "twilio" }) : HttpResponse.json({ message: "Not Found" }, { status: 404 });
    }),
  );
  return { calls, phoneNumbers, requests, failNext: fault.failNext } satisfies Faults & Json;
}

// ---- Retell: POST /v3/list-calls (filter_criteria, sort_order, limit, pagination_key; items without
// transcript or recording), GET /v2/get-call/:id

export const RETELL_API = "https://api.retellai.com";
const LIST_OMITS = ["transcript", "transcript_object", "transcript_with_tool_calls", "recording_url"];

/** A Retell call as get-call answers it (from the complete-call fixture), started `at`. */
export function retellCall(id: string, at: Date, over: Json = {}): Json {
  const call = JSON.parse(fixture("retell/complete-call")).call as Json;
  const from = over.from_number ?? call.from_number;
  const analysis = { ...call.call_analysis, custom_analysis_data: { ...call.call_analysis.custom_analysis_data, callback_number: from } };
  return { ...call, call_id: id, start_timestamp: at.getTime(), end_timestamp: at.getTime() + 120_000, call_analysis: analysis, ...over };
}

export function fakeRetell(server: Server, apiKey: string, opts: { pageCap?: number } = {}) {
  const calls: Json[] = [];
  const listBodies: Json[] = [];
  const gets: string[] = [];
  const fault = faults();
  server.use(
    http.post(`${RETELL_API}/v3/list-calls`, async ({ request }) => {
      if (request.headers.get("authorization") !== `Bearer ${apiKey}`) return unauthorized();
      const body = (await request.json()) as Json;
      listBodies.push(body);
      const failed = fault.take();
      if (failed) return failed;
      const start = body.filter_criteria?.start_timestamp;
      const matching = calls
        .filter((c) => !start || (start.type === "number" && start.op === "ge" && c.start_timestamp >= start.value))
        .sort((a, b) => (body.sort_order === "ascending" ? a.start_timestamp - b.start_timestamp : b.start_timestamp - a.start_timestamp));
      // The cursor is opaque to clients; here it is the offset, encoded.
      const offset = body.pagination_key ? Number(Buffer.from(body.pagination_key, "base64url").toString()) : 0;
      const size = Math.min(body.limit ?? 50, opts.pageCap ?? 1000);
      const items = matching.slice(offset, offset + size).map((c) => Object.fromEntries(Object.entries(c).filter(([k]) => !LIST_OMITS.includes(k))));
      const more = offset + size < matching.length;
      return HttpResponse.json({ items, has_more: more, ...(more && { pagination_key: Buffer.from(String(offset + size)).toString("base64url") }) });
    }),
    http.get(`${RETELL_API}/v2/get-call/:id`, ({ request, params }) => {
      if (request.headers.get("authorization") !== `Bearer ${apiKey}`) return unauthorized();
      gets.push(String(params.id));
      const call = calls.find((c) => c.call_id === params.id);
      return call ? HttpResponse.json(call) : HttpResponse.json({ message: "Not Found" }, { status: 404 });
    }),
  );
  return { calls, listBodies, gets, failNext: fault.failNext };
}

// ---- Bland: GET /v1/calls (from/to index range, limit, ascending, sort_by; {count, calls} of
// metadata), GET /v1/calls/:id (the whole call)

export const BLAND_API = "https://api.bland.ai";
const BLAND_LIST_FIELDS = ["call_id", "created_at", "call_length", "to", "from", "completed", "queue_status", "error_message", "answered_by", "batch_id", "inbound"];

/** A Bland call as GET /v1/calls/:id answers it (from the complete-call fixture), created `at`. */
export function blandCall(id: string, at: Date, over: Json = {}): Json {
  const call = JSON.parse(fixture("bland/complete-call")) as Json;
  const from = over.from ?? call.from;
  return { ...call, call_id: id, c_id: id, created_at: at.toISOString(), variables: { ...call.variables, from, callback_number: from }, ...over };
}

export function fakeBland(server: Server, apiKey: string) {
  const calls: Json[] = [];
  const lists: URL[] = [];
  const gets: string[] = [];
  const fault = faults();
  server.use(
    http.get(`${BLAND_API}/v1/calls`, ({ request }) => {
      const url = new URL(request.url);
      if (request.headers.get("authorization") !== apiKey) return unauthorized();
      lists.push(url);
      const failed = fault.take();
      if (failed) return failed;
      const ascending = url.searchParams.get("ascending") === "true";
      const sorted = [...calls].sort((a, b) => (a.created_at < b.created_at ? -1 : 1) * (ascending ? 1 : -1));
      const from = Number(url.searchParams.get("from") ?? 0);
      const to = Number(url.searchParams.get("to") ?? from + 1000);
      const limit = Number(url.searchParams.get("limit") ?? 1000);
      const page = sorted.slice(from, Math.min(to, from + limit)).map((c) => Object.fromEntries(BLAND_LIST_FIELDS.map((k) => [k, c[k] ?? null])));
      return HttpResponse.json({ count: calls.length, calls: page });
    }),
    http.get(`${BLAND_API}/v1/calls/:id`, ({ request, params }) => {
      if (request.headers.get("authorization") !== apiKey) return unauthorized();
      gets.push(String(params.id));
      const call = calls.find((c) => c.call_id === params.id);
      return call ? HttpResponse.json(call) : HttpResponse.json({ status: "error", message: "Call not found" }, { status: 404 });
    }),
  );
  return { calls, lists, gets, failNext: fault.failNext };
}

// ---- Twilio: GET Calls.json (To, StartTime>, ParentCallSid, PageSize, Page/next_page_uri) and
// Messages.json (To, DateSent>), records in Twilio's JSON (snake_case, RFC 2822 dates)

const rfc2822 = (d: Date) => d.toUTCString().replace("GMT", "+0000");

/** A call record as Twilio lists it. */
export function twilioCall(sid: string, over: { from: string; to: string; status: string; direction?: string; parentCallSid?: string | null; at: Date }): Json {
  return {
    sid,
    account_sid: TWILIO_API.split("/Accounts/")[1],
    parent_call_sid: over.parentCallSid ?? null,
    from: over.from,
    to: over.to,
    status: over.status,
    direction: over.direction ?? "inbound",
    start_time: rfc2822(over.at),
    end_time: rfc2822(new Date(over.at.getTime() + 30_000)),
    date_created: rfc2822(over.at),
    duration: "30",
    uri: `/2010-04-01/Accounts/${TWILIO_API.split("/Accounts/")[1]}/Calls/${sid}.json`,
  };
}

/** A message record as Twilio lists it. */
export function twilioMessage(sid: string, over: { from: string; to: string; body: string; direction?: string; at: Date }): Json {
  return {
    sid,
    account_sid: TWILIO_API.split("/Accounts/")[1],
    from: over.from,
    to: over.to,
    body: over.body,
    direction: over.direction ?? "inbound",
    status: over.direction && over.direction !== "inbound" ? "delivered" : "received",
    num_media: "0",
    date_sent: rfc2822(over.at),
    date_created: rfc2822(over.at),
    uri: `/2010-04-01/Accounts/${TWILIO_API.split("/Accounts/")[1]}/Messages/${sid}.json`,
  };
}

export function fakeTwilioLogs(server: Server, opts: { pageCap?: number } = {}) {
  const calls: Json[] = [];
  const messages: Json[] = [];
  const requests: URL[] = [];
  const fault = faults();
  const page = (key: "calls" | "messages", all: Json[], url: URL) => {
    const size = Math.min(Number(url.searchParams.get("PageSize") ?? 50), opts.pageCap ?? 1000);
    const number = Number(url.searchParams.get("Page") ?? 0);
    const items = all.slice(number * size, (number + 1) * size);
    const next = new URL(url);
    next.searchParams.set("Page", String(number + 1));
    next.searchParams.set("PageToken", `PA${number + 1}`);
    const uri = (u: URL) => u.pathname + u.search;
    return HttpResponse.json({
      [key]: items,
      page: number,
      page_size: size,
      first_page_uri: uri(url),
      uri: uri(url),
      next_page_uri: (number + 1) * size < all.length ? uri(next) : null,
      previous_page_uri: null,
      start: number * size,
      end: number * size + items.length - 1,
    });
  };
  const after = (value: string | null, at: string) => !value || Date.parse(at) >= Date.parse(value);
  server.use(
    http.get(`${TWILIO_API}/Calls.json`, ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      const failed = fault.take();
      if (failed) return failed;
      const q = url.searchParams;
      const matching = calls.filter(
        (c) =>
          (!q.get("To") || c.to === q.get("To")) &&
          (!q.get("ParentCallSid") || c.parent_call_sid === q.get("ParentCallSid")) &&
          after(q.get("StartTime>"), c.start_time),
      );
      return page("calls", matching, url);
    }),
    http.get(`${TWILIO_API}/Messages.json`, ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      const failed = fault.take();
      if (failed) return failed;
      const q = url.searchParams;
      return page("messages", messages.filter((m) => (!q.get("To") || m.to === q.get("To")) && after(q.get("DateSent>"), m.date_sent)), url);
    }),
  );
  return { calls, messages, requests, failNext: fault.failNext };
}
