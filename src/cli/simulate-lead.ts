import { callApi } from "./api-client.ts";
import type { LeadRecord } from "./backend.ts";

/** How often `simulate` asks whether the server has made the lead yet. */
const POLL_MS = 200;
/** Leads updated this long before the post still count (the server's clock may differ a little). */
const CLOCK_SLACK_MS = 60_000;

/**
 * After a webhook is answered, waits briefly for the server to process it and prints the lead it
 * made or updated (code, state, owner). Found by the provider's id: a new lead carries it as
 * `externalId`; a lead it was merged into has it in a `created` or `merged` event.
 */
export async function printLead(opts: {
  base: string;
  token: string;
  business: string;
  externalId: string;
  /** When the webhook was posted (ms). */
  since: number;
  waitMs: number;
  print: (line: string) => void;
}): Promise<void> {
  const get = (path: string) => callApi(opts.base, opts.token, "GET", path);
  const deadline = Date.now() + opts.waitMs;
  try {
    for (;;) {
      const { leads } = (await get(`/api/leads?business=${encodeURIComponent(opts.business)}&limit=100`)) as { leads: LeadRecord[] };
      let lead = leads.find((l) => l.externalId === opts.externalId);
      for (const candidate of lead ? [] : leads.filter((l) => Date.parse(l.updatedAt) >= opts.since - CLOCK_SLACK_MS)) {
        const full = (await get(`/api/leads/${candidate.id}`)) as LeadRecord;
        if (full.events?.some((e) => (e.detail as { externalId?: unknown } | null)?.externalId === opts.externalId)) {
          lead = full;
          break;
        }
      }
      if (lead) {
        const ref = `${lead.business}:${lead.code}`;
        const owner = lead.ownerId ? `, owner ${lead.ownerId}` : ", no owner yet";
        const missing = lead.missingFields.length ? `, missing ${lead.missingFields.join(", ")}` : "";
        return opts.print(`Lead ${ref}: ${lead.state}${owner}${missing}. More: npx handoff show ${ref}`);
      }
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    opts.print(`No lead for ${opts.externalId} yet after ${opts.waitMs / 1000} s (the server may still be working on it): npx handoff leads`);
  } catch (err) {
    opts.print(`Could not look the lead up: ${(err as Error).message}`);
  }
}
