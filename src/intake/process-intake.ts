import { eq } from "drizzle-orm";
import { businesses, inboundEvents } from "../db/schema/index.ts";
import { mapStructuredData } from "../domain/structured-fields.ts";
import type { FieldSources, LeadFields } from "../domain/lead.ts";
import type { Deps } from "../core/deps.ts";
import { heuristicExtractor } from "../adapters/extractor/heuristic/index.ts";
import type { ExtractedFields } from "../adapters/extractor/extractor.ts";
import type { IntakeEvent } from "../adapters/inbound/intake-event.ts";
import type { ParseResult } from "../adapters/inbound/parse-result.ts";
import { parseBland } from "../adapters/inbound/bland.ts";
import { parseIntake } from "../adapters/inbound/intake.ts";
import { parseRetell } from "../adapters/inbound/retell.ts";
import { parseVapi } from "../adapters/inbound/vapi.ts";
import { scopedKey } from "../core/inbox.ts";
import { runClaimed } from "../core/inbox-runner.ts";
import { EMPTY_FIELDS, missingFields } from "../domain/lead.ts";
import type { LeadEventType } from "../domain/lead-event.ts";
import { receiveLead } from "./receive-lead.ts";
import { recoveredNote } from "./recovered-note.ts";
import type { BusinessRow } from "../core/records.ts";

/** The AI-intake providers, each with its parser. */
export const AI_PARSERS: Record<string, (rawBody: string) => ParseResult> = {
  vapi: parseVapi,
  retell: parseRetell,
  bland: parseBland,
  intake: parseIntake,
};

/** How long a Retell `call_ended` waits for its `call_analyzed` before it is used alone. */
export const ANALYSIS_GRACE_MS = 90_000;

/**
 * Turns a stored webhook into a lead (after the 2xx): re-parses the raw payload, extracts the
 * fields, records or updates the lead and routes it. Safe to run again for the same event
 * (a retry, a restart): the lead is found by the call's external id and updated, not duplicated.
 */
export async function processInbound(deps: Deps, inboundId: string): Promise<void> {
  await runClaimed(deps, inboundId, async (row, now) => {
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
    const { fields, sources, notes } = await extractFields(deps, business, event);
    const { lead } = await receiveLead(deps, {
      business,
      fields,
      sources,
      channel: event.channel,
      actor: `provider:${row.provider}`,
      externalId: event.externalId,
      transcript: event.transcript,
      recordingUrl: event.recordingUrl,
      notes: row.origin === "reconciliation" ? [recoveredNote(row.provider, event.externalId), ...notes] : notes,
    });
    return { status: "processed", leadId: lead.id };
  });
}

/**
 * Fields for a lead from one intake, most trusted first: what the sender named with our field
 * names, the provider's structured data (through the business's fieldMap), then the extractor
 * for what is still missing, then caller ID. Every value validated; nothing invented.
 */
export async function extractFields(deps: Deps, business: BusinessRow, event: IntakeEvent) {
  const config = business.config;
  const fields: Partial<LeadFields> = {};
  const sources: FieldSources = {};
  const notes: { type: LeadEventType; detail: Record<string, unknown> }[] = [];
  const take = (values: ExtractedFields, source: string) => {
    for (const [name, value] of Object.entries(values) as [keyof LeadFields, never][]) {
      if (value === null || value === undefined || fields[name] !== undefined) continue;
      (fields as Record<string, unknown>)[name] = value;
      sources[name] = source;
    }
  };

  take(event.fields, event.channel);
  if (event.source) take({ source: event.source }, event.channel);
  const structured = mapStructuredData(event.structuredData, config.fieldMap);
  take(structured.fields, `${event.channel}:structured`);
  if (structured.invalid.length) notes.push({ type: "invalid_fields_dropped", detail: { invalid: structured.invalid } });

  if (!event.connected) {
    take({ source: "missed_call", summaryNotes: `Call did not connect (${event.channel}).`, promisedNextStep: "Call the customer back" }, "gateway");
  } else if (event.transcript || event.summary) {
    const stillMissing = missingFields({ ...EMPTY_FIELDS, ...fields } as LeadFields);
    if (stillMissing.length) {
      const input = {
        transcript: event.transcript,
        summary: event.summary,
        callerPhone: event.callerPhone,
        serviceTypes: config.serviceTypes,
        timezone: config.timezone,
        now: deps.clock.now(),
      };
      try {
        take(await deps.extractor.extract(input), `extractor:${deps.extractor.name}`);
      } catch (err) {
        notes.push({ type: "extraction_failed", detail: { extractor: deps.extractor.name, error: String(err instanceof Error ? err.message : err) } });
        take(await heuristicExtractor().extract(input), "extractor:heuristic");
      }
    }
  }
  if (event.callerPhone) take({ phone: event.callerPhone }, "caller_id");
  // A call to the business's receptionist is a phone lead even when the caller never said how
  // they found the business; that much the gateway knows first-hand.
  if (VOICE_CHANNELS.has(event.channel)) take({ source: "phone_call" }, "gateway");
  return { fields, sources, notes };
}

const VOICE_CHANNELS = new Set(["vapi", "retell", "bland", "twilio_voice"]);
