import { eq } from "drizzle-orm";
import { businesses, inboundEvents } from "../db/schema/index.ts";
import type { Deps } from "../core/deps.ts";
import type { ParseResult } from "../adapters/inbound/parse-result.ts";
import { parseBland } from "../adapters/inbound/bland.ts";
import { parseIntake } from "../adapters/inbound/intake.ts";
import { parseRetell } from "../adapters/inbound/retell.ts";
import { parseVapi } from "../adapters/inbound/vapi.ts";
import { scopedKey } from "../core/inbox.ts";
import { runClaimed, runOnClaimed, type ClaimedInbound, type InboundResult } from "../core/inbox-runner.ts";
import { leadOfAskCall } from "./ask-reply.ts";
import { extractFields } from "./extract-fields.ts";
import { receiveLead } from "./receive-lead.ts";
import { recoveredNote } from "./recovered-note.ts";

/** The AI-intake providers, each with its parser. */
export const AI_PARSERS: Record<string, (rawBody: string) => ParseResult> = {
  vapi: parseVapi,
  retell: parseRetell,
  bland: parseBland,
  intake: parseIntake,
};

/** The providers whose stored webhooks become leads here (what `handoff worker` claims). */
export const AI_PROVIDERS = Object.keys(AI_PARSERS);

/** How long a Retell `call_ended` waits for its `call_analyzed` before it is used alone. */
export const ANALYSIS_GRACE_MS = 90_000;

/**
 * Turns a stored webhook into a lead (after the 2xx): re-parses the raw payload, extracts the
 * fields, records or updates the lead and routes it. Safe to run again for the same event
 * (a retry, a restart): the lead is found by the call's external id and updated, not duplicated.
 */
export async function processInbound(deps: Deps, inboundId: string): Promise<void> {
  await runClaimed(deps, inboundId, (row, now) => intakeWork(deps, row, now));
}

/** processInbound for a row the caller already claimed at `claimedAt` (the worker's batch claim). */
export async function processClaimedInbound(deps: Deps, row: ClaimedInbound, claimedAt: Date): Promise<void> {
  await runOnClaimed(deps, row, claimedAt, (claimed, now) => intakeWork(deps, claimed, now));
}

/** The work on a claimed row: what processInbound does once the row is this process's. */
async function intakeWork(deps: Deps, row: ClaimedInbound, now: Date): Promise<InboundResult> {
  const parse = AI_PARSERS[row.provider];
  if (!parse || !row.businessId) return { status: "processed", now };
  const result = parse(row.rawBody);
  if (result.kind === "ignored") return { status: "processed", now };
  if (result.provisional) {
    const analyzed = await deps.db
      .select({ id: inboundEvents.id })
      .from(inboundEvents)
      .where(eq(inboundEvents.idempotencyKey, scopedKey(row.businessId, `retell:${result.event.externalId}:call_analyzed`)));
    if (analyzed.length) return { status: "superseded", now };
    // Leave it for the sweeper: call_analyzed usually follows within a minute.
    if (now.getTime() - row.receivedAt.getTime() < ANALYSIS_GRACE_MS) return { status: "received", now: row.receivedAt };
  }
  const [business] = await deps.db.select().from(businesses).where(eq(businesses.id, row.businessId));
  if (!business) return { status: "failed", error: "business no longer exists", now };
  const event = result.event;
  if (!event.connected && !event.callerPhone) return { status: "processed", error: "call never connected and has no caller ID", now };
  const { fields, sources, notes } = await extractFields(deps, business.config, event);
  const { lead } = await receiveLead(deps, {
    business,
    fields,
    sources,
    channel: event.channel,
    actor: `provider:${row.provider}`,
    externalId: event.externalId,
    transcript: event.transcript,
    recordingUrl: event.recordingUrl,
    // The end of a callback the gateway placed to ask for what was missing completes that lead.
    answersAskOf: await leadOfAskCall(deps.db, business.id, event.externalId),
    notes: row.origin === "reconciliation" ? [recoveredNote(row.provider, event.externalId), ...notes] : notes,
  });
  return { status: "processed", leadId: lead.id };
}
