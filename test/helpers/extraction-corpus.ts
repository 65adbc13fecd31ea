import { readdirSync, readFileSync } from "node:fs";
import { TestClock } from "../../src/adapters/clock/clock.ts";
import type { Extractor } from "../../src/adapters/extractor/extractor.ts";
import type { FieldSources, LeadFields } from "../../src/domain/lead.ts";
import { extractFields } from "../../src/intake/extract-fields.ts";
import { AI_PARSERS } from "../../src/intake/process-intake.ts";

/*
 * The extraction corpus (fixtures/extraction/): receptionist calls as Vapi, Retell and Bland post
 * them and as a human receptionist's tool sends them to the intake webhook, each with the fields
 * a careful person would take from it and the fields that must stay empty. This module runs a
 * call through the gateway's real path (provider parser, then extractFields with the extractor
 * under test and caller ID) and scores what came out.
 */

const ROOT = new URL("../../fixtures/extraction/", import.meta.url);

/** A business of the corpus: what the extractor is told about it. */
export interface CorpusBusiness {
  name: string;
  timezone: string;
  serviceTypes: string[];
}

/** One call of the corpus. */
export interface CorpusCall {
  id: string;
  provider: "vapi" | "retell" | "bland" | "intake";
  business: string;
  /** When the call was processed (the extractor's "today"). */
  now: string;
  /** What the call states. A list means any of these is right (e.g. two fair service types). */
  expected: Partial<Record<ScoredField, string | string[]>>;
  /** Fields the call does not state: any value there is invented. */
  empty: ScoredField[];
  /** The webhook body exactly as the provider posts it. */
  payload: unknown;
}

export const SCORED_FIELDS = [
  "fullName",
  "phone",
  "serviceAddress",
  "market",
  "serviceType",
  "urgency",
  "source",
  "referralContext",
  "leadType",
  "followUpDate",
  "promisedNextStep",
] as const;
export type ScoredField = (typeof SCORED_FIELDS)[number];

/**
 * Free-text fields, right when they contain the expected phrase (the referrer's name, the
 * promise's "call you within the hour"); every other field must equal an expected value.
 */
const PHRASE_FIELDS = new Set<ScoredField>(["referralContext", "promisedNextStep"]);

export const corpusBusinesses: Record<string, CorpusBusiness> = JSON.parse(readFileSync(new URL("businesses.json", ROOT), "utf8"));

/** Every call of the corpus, in file-name order. */
export function loadCorpus(): CorpusCall[] {
  const dir = new URL("calls/", ROOT);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(new URL(name, dir), "utf8")) as CorpusCall);
}

/** What the gateway made of one call: the fields and where each came from. */
export interface Extracted {
  fields: Partial<LeadFields>;
  sources: FieldSources;
}

/** The call through its provider's parser and extractFields, as a webhook would go. */
export async function extractCall(extractor: Extractor, call: CorpusCall): Promise<Extracted> {
  const parse = AI_PARSERS[call.provider]!;
  const result = parse(JSON.stringify(call.payload));
  if (result.kind !== "lead") throw new Error(`corpus call ${call.id} does not parse as a lead`);
  const business = corpusBusinesses[call.business];
  if (!business) throw new Error(`corpus call ${call.id} names unknown business ${call.business}`);
  const config = { fieldMap: {}, serviceTypes: business.serviceTypes, timezone: business.timezone };
  const { fields, sources } = await extractFields({ extractor, clock: new TestClock(new Date(call.now)) }, config, result.event);
  // Only what the extractor found and caller ID are scored. What the gateway knows first-hand (a
  // voice call is a phone lead) or the sender claimed (an intake's `source`) is not read from the
  // call: "source" empty means the caller never said how they found the business.
  for (const name of Object.keys(sources) as (keyof LeadFields)[]) {
    if (!sources[name]!.startsWith("extractor:") && sources[name] !== "caller_id") delete fields[name];
  }
  return { fields, sources };
}

const squash = (value: string) =>
  value
    .normalize("NFC")
    .toLowerCase()
    .replace(/[.,#]/g, " ")
    .replace(/\s+/g, " ")
    .trim();

/** Whether `actual` is right for `expected` (any of a list; phrase fields by containment). */
export function matches(field: ScoredField, actual: string, expected: string | string[]): boolean {
  const wanted = Array.isArray(expected) ? expected : [expected];
  return wanted.some((value) => (PHRASE_FIELDS.has(field) ? squash(actual).includes(squash(value)) : squash(actual) === squash(value)));
}

/** One field of one call that was not right. */
export interface Miss {
  call: string;
  field: ScoredField;
  kind: "missed" | "wrong" | "invented";
  actual?: string;
  expected?: string | string[];
}

/** Per field: how many calls state it, how many were found right, and what went wrong. */
export interface FieldScore {
  stated: number;
  found: number;
  /** A value that is not the stated one. */
  wrong: number;
  /** A value where the call states nothing. */
  invented: number;
}

export interface CorpusScore {
  calls: number;
  fields: Record<ScoredField, FieldScore>;
  misses: Miss[];
  /** Right values over stated values, all fields together. */
  recall: number;
}

/** Scores what was extracted from each call against what the call states. */
export function scoreCorpus(results: { call: CorpusCall; fields: Partial<LeadFields> }[]): CorpusScore {
  const fields = Object.fromEntries(SCORED_FIELDS.map((f) => [f, { stated: 0, found: 0, wrong: 0, invented: 0 }])) as Record<ScoredField, FieldScore>;
  const misses: Miss[] = [];
  for (const { call, fields: got } of results) {
    for (const field of SCORED_FIELDS) {
      const actual = got[field] === undefined || got[field] === null ? undefined : String(got[field]);
      const expected = call.expected[field];
      const score = fields[field];
      if (expected !== undefined) {
        score.stated += 1;
        if (actual === undefined) misses.push({ call: call.id, field, kind: "missed", expected });
        else if (matches(field, actual, expected)) score.found += 1;
        else {
          score.wrong += 1;
          misses.push({ call: call.id, field, kind: "wrong", actual, expected });
        }
      } else if (call.empty.includes(field) && actual !== undefined) {
        score.invented += 1;
        misses.push({ call: call.id, field, kind: "invented", actual });
      }
    }
  }
  const stated = Object.values(fields).reduce((n, f) => n + f.stated, 0);
  const found = Object.values(fields).reduce((n, f) => n + f.found, 0);
  return { calls: results.length, fields, misses, recall: stated ? found / stated : 1 };
}
