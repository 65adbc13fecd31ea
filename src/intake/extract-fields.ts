import type { Deps } from "../core/deps.ts";
import { heuristicExtractor } from "../adapters/extractor/heuristic/index.ts";
import type { ExtractedFields } from "../adapters/extractor/extractor.ts";
import type { IntakeEvent } from "../adapters/inbound/intake-event.ts";
import type { BusinessConfig } from "../domain/business-config.ts";
import { EMPTY_FIELDS, missingFields, type FieldSources, type LeadFields } from "../domain/lead.ts";
import type { LeadEventType } from "../domain/lead-event.ts";
import { mapStructuredData } from "../domain/structured-fields.ts";

/**
 * Fields for a lead from one intake, most trusted first: what the sender named with our field
 * names, the provider's structured data (through the business's fieldMap), then the extractor
 * for what is still missing, then caller ID. Every value validated; nothing invented.
 */
export async function extractFields(
  deps: Pick<Deps, "extractor" | "clock">,
  config: Pick<BusinessConfig, "fieldMap" | "serviceTypes" | "timezone">,
  event: IntakeEvent,
) {
  const fields: Partial<LeadFields> = {};
  const sources: FieldSources = {};
  const notes: { type: LeadEventType; detail: Record<string, unknown> }[] = [];
  const take = (values: ExtractedFields, source: string) => {
    for (const [name, value] of Object.entries(values) as [keyof LeadFields, never][]) {
      if (value === null || value === undefined || fields[name] !== undefined) continue;
      (fields as Record<string, unknown>)[name] = value;
      // An extractor that answers with the caller ID (nobody named another number) found it there.
      sources[name] = name === "phone" && value === event.callerPhone && source.startsWith("extractor:") ? "caller_id" : source;
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
