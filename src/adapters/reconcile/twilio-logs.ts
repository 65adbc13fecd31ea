import twilio from "twilio";
import { fetchHttpClient } from "../messaging/twilio-fetch-client.ts";
import { ProviderApiError } from "./provider-api.ts";

/**
 * Twilio's call and message logs as reconciliation reads them, through the official SDK (which
 * follows `next_page_uri` itself): inbound calls to a number, a call's child legs (a `<Dial>`
 * leg carries the outcome; its parent ends `completed` either way) and inbound messages.
 */

/** A call as the gateway needs it. */
export interface TwilioCall {
  sid: string;
  from: string;
  to: string;
  status: string;
  direction: string;
  startTime: Date | null;
}

/** A message as the gateway needs it. */
export interface TwilioMessage {
  sid: string;
  from: string;
  to: string;
  body: string;
  direction: string;
  numMedia: string;
  dateSent: Date | null;
}

export interface TwilioLogs {
  inboundCalls(to: string, since: Date): Promise<TwilioCall[]>;
  childCalls(parentCallSid: string): Promise<TwilioCall[]>;
  inboundMessages(to: string, since: Date): Promise<TwilioMessage[]>;
}

/** Most records a run reads per number and kind; a busier number is read again next run. */
const LIMIT = 1000;

/** The logs of the gateway's Twilio account. `useFetch` on Workers (see twilio-fetch-client.ts). */
export function twilioLogs(opts: { accountSid: string; authToken: string; useFetch?: boolean }): TwilioLogs {
  // One request per page, retries owned by the caller (reconcile/), as for sends.
  const client = twilio(opts.accountSid, opts.authToken, { autoRetry: false, ...(opts.useFetch ? { httpClient: fetchHttpClient() } : {}) });
  const call = (c: { sid: string; from: string; to: string; status: string; direction: string; startTime: Date | null }): TwilioCall => ({
    sid: c.sid,
    from: c.from,
    to: c.to,
    status: String(c.status),
    direction: c.direction,
    startTime: c.startTime ?? null,
  });
  return {
    inboundCalls: (to, since) =>
      guard(async () => (await client.calls.list({ to, startTimeAfter: since, pageSize: 100, limit: LIMIT })).filter((c) => c.direction === "inbound").map(call)),
    childCalls: (parentCallSid) => guard(async () => (await client.calls.list({ parentCallSid, pageSize: 50, limit: 50 })).map(call)),
    inboundMessages: (to, since) =>
      guard(async () =>
        (await client.messages.list({ to, dateSentAfter: since, pageSize: 100, limit: LIMIT }))
          .filter((m) => m.direction === "inbound")
          .map((m) => ({ sid: m.sid, from: m.from, to: m.to, body: m.body ?? "", direction: m.direction, numMedia: String(m.numMedia ?? "0"), dateSent: m.dateSent ?? null })),
      ),
  };
}

/** The SDK's failures as ProviderApiError: 429 and 5xx (and the network) may pass, the rest will not. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const status = typeof (err as { status?: unknown }).status === "number" ? (err as { status: number }).status : null;
    const retryable = status === null || status === 429 || status >= 500;
    throw new ProviderApiError("twilio", `Twilio API ${status ? `answered ${status}` : "unreachable"}: ${err instanceof Error ? err.message : String(err)}`, status, retryable);
  }
}
