import type { TestApp } from "./test-app.ts";

// What the admin API lists, as the integration suites read it back. Untyped on purpose: the
// suites assert on the JSON the API answers, not on our own types.

/** Every lead of a business (GET /api/leads?business=…). */
export async function leadsOf(t: TestApp, slug: string): Promise<any[]> {
  return (await t.call("GET", `/api/leads?business=${slug}`)).body.leads;
}

/** One lead by id or `business:code`, with its events (GET /api/leads/:id). */
export async function leadById(t: TestApp, id: string): Promise<any> {
  return (await t.call("GET", `/api/leads/${id}`)).body;
}

/** Every outbound message of a business (GET /api/messages?business=…). */
export async function messagesOf(t: TestApp, slug: string): Promise<any[]> {
  return (await t.call("GET", `/api/messages?business=${slug}`)).body.messages;
}

/** The outbound messages of one lead (GET /api/messages?lead=…). */
export async function messagesOfLead(t: TestApp, id: string): Promise<any[]> {
  return (await t.call("GET", `/api/messages?lead=${id}`)).body.messages;
}
