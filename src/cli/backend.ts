import type { getLead, listMessages } from "../admin/queries.ts";
import type { LeadState } from "../domain/lead.ts";
import { callApi } from "./api-client.ts";

/** A lead as the API answers it, with its events. */
export type LeadRecord = Awaited<ReturnType<typeof getLead>>;
/** An outbound SMS or call as the API answers it. */
export type MessageRecord = Awaited<ReturnType<typeof listMessages>>[number];

/**
 * Where the CLI's data commands read and write: a running server's API, or the database itself
 * when no server holds it (db-backend.ts). Leads are named by UUID or `business:code`.
 */
export interface Backend {
  /** Said in messages: "the server at http://…" or "the database". */
  readonly where: string;
  leads(filter: { business?: string; state?: LeadState; limit: number }): Promise<LeadRecord[]>;
  lead(ref: string): Promise<LeadRecord>;
  /** The lead's outbound messages, newest first. */
  messages(leadRef: string): Promise<MessageRecord[]>;
  /** The IANA time zone of a business. */
  timezone(slug: string): Promise<string>;
  apply(config: unknown): Promise<{ slug: string; version: number; changed: boolean }>;
  close(): Promise<void>;
}

/** The admin API of the server at `url`, with the admin token. */
export function apiBackend(url: string, token: string): Backend {
  const get = (path: string) => callApi(url, token, "GET", path);
  return {
    where: `the server at ${url}`,
    leads: async (filter) => {
      const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)] as [string, string]));
      return ((await get(`/api/leads?${query}`)) as { leads: LeadRecord[] }).leads;
    },
    lead: async (ref) => (await get(`/api/leads/${encodeURIComponent(ref)}`)) as LeadRecord,
    messages: async (ref) => ((await get(`/api/messages?lead=${encodeURIComponent(ref)}&limit=500`)) as { messages: MessageRecord[] }).messages,
    timezone: async (slug) => ((await get(`/api/businesses/${encodeURIComponent(slug)}`)) as { config: { timezone: string } }).config.timezone,
    apply: async (config) => {
      const slug = (config as { slug?: unknown } | null)?.slug;
      if (typeof slug !== "string" || slug === "") throw new Error('The config has no "slug": name the business, e.g. "slug": "acme".');
      return (await callApi(url, token, "PUT", `/api/businesses/${encodeURIComponent(slug)}`, config)) as { slug: string; version: number; changed: boolean };
    },
    close: async () => {},
  };
}
