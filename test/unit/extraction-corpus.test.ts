import { beforeAll, describe, expect, it } from "vitest";
import { heuristicExtractor } from "../../src/adapters/extractor/heuristic/index.ts";
import { isoDate, URGENCIES } from "../../src/domain/lead.ts";
import { toE164 } from "../../src/domain/phone.ts";
import { AI_PARSERS } from "../../src/intake/process-intake.ts";
import {
  corpusBusinesses,
  extractCall,
  loadCorpus,
  SCORED_FIELDS,
  scoreCorpus,
  type CorpusCall,
  type CorpusScore,
  type Extracted,
} from "../helpers/extraction-corpus.ts";

/*
 * The offline extractor over the whole corpus of fixtures/extraction/, the way a webhook goes
 * (provider parser, extractFields, caller ID). `npm run bench:extraction` prints the same
 * figures field by field, with every miss.
 */

const corpus = loadCorpus();
const extracted = new Map<string, Extracted>();
let score: CorpusScore;

beforeAll(async () => {
  const extractor = heuristicExtractor();
  for (const call of corpus) extracted.set(call.id, await extractCall(extractor, call));
  score = scoreCorpus(corpus.map((call) => ({ call, fields: extracted.get(call.id)!.fields })));
});

const callerText = (call: CorpusCall) => {
  const result = AI_PARSERS[call.provider]!(JSON.stringify(call.payload));
  if (result.kind !== "lead") throw new Error(call.id);
  return { transcript: result.event.transcript ?? "", callerPhone: result.event.callerPhone };
};

describe("the extraction corpus", () => {
  it("has at least 80 calls of every provider shape, each a lead its provider's parser accepts", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(80);
    for (const provider of ["vapi", "retell", "bland", "intake"]) expect(corpus.filter((c) => c.provider === provider).length).toBeGreaterThanOrEqual(10);
    for (const call of corpus) expect(AI_PARSERS[call.provider]!(JSON.stringify(call.payload)).kind, call.id).toBe("lead");
  });

  it("states only valid values: E.164 phones, the business's service types, real urgencies and dates", () => {
    for (const call of corpus) {
      const { expected, empty } = call;
      const values = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
      for (const phone of values(expected.phone)) expect(toE164(phone), call.id).toBe(phone);
      for (const type of values(expected.serviceType)) expect(corpusBusinesses[call.business]!.serviceTypes, call.id).toContain(type);
      for (const urgency of values(expected.urgency)) expect(URGENCIES, call.id).toContain(urgency);
      for (const date of values(expected.followUpDate)) expect(isoDate.safeParse(date).success, call.id).toBe(true);
      for (const field of empty) expect(expected, `${call.id} lists ${field} as both stated and empty`).not.toHaveProperty(field);
      for (const field of [...Object.keys(expected), ...empty]) expect(SCORED_FIELDS, call.id).toContain(field);
    }
  });
});

describe("the offline extractor on the corpus", () => {
  it("finds at least 95% of the stated fields", () => {
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("gets no phone number and no address wrong, and invents none", () => {
    const wrong = score.misses.filter((m) => (m.field === "phone" || m.field === "serviceAddress") && m.kind !== "missed");
    expect(wrong).toEqual([]);
  });

  it("invents no name, and takes no one else's", () => {
    expect(score.misses.filter((m) => m.field === "fullName" && m.kind !== "missed")).toEqual([]);
  });

  it("finds each field on at least 90% of the calls that state it", () => {
    for (const field of SCORED_FIELDS) {
      const { stated, found } = score.fields[field];
      if (stated) expect(found / stated, field).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("takes a name and a house number only from what the caller said", () => {
    for (const call of corpus) {
      const { fields } = extracted.get(call.id)!;
      const said = callerText(call).transcript.toLowerCase();
      for (const word of fields.fullName?.split(" ") ?? []) expect(said, `${call.id}: ${fields.fullName}`).toContain(word.toLowerCase());
      const houseNumber = fields.serviceAddress?.match(/^\d+/)?.[0];
      if (houseNumber) expect(said, `${call.id}: ${fields.serviceAddress}`).toContain(houseNumber);
    }
  });

  it("says in fieldSources where each field came from: the extractor, or caller ID when the caller named no other number", () => {
    for (const call of corpus) {
      const { fields, sources } = extracted.get(call.id)!;
      const { callerPhone } = callerText(call);
      for (const field of Object.keys(fields)) expect(["extractor:heuristic", "caller_id"], `${call.id} ${field}`).toContain(sources[field as keyof typeof sources]);
      if (sources.phone === "caller_id") expect(fields.phone, call.id).toBe(callerPhone);
      if (typeof call.expected.phone === "string") expect(sources.phone, call.id).toBe(call.expected.phone === callerPhone ? "caller_id" : "extractor:heuristic");
    }
  });
});
