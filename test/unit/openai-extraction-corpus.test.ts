import { readdirSync, readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { openAiExtractor } from "../../src/adapters/extractor/openai.ts";
import { URGENCY_MEANINGS } from "../../src/domain/lead.ts";
import { corpusBusinesses, extractCall, loadCorpus, scoreCorpus } from "../helpers/extraction-corpus.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

/*
 * The LLM path on corpus calls: each call goes the webhook's way (parser, extractFields) with the
 * OpenAI extractor, and OpenAI's edge answers with the structured output recorded for that call
 * (fixtures/extraction/openai/, chat.completion bodies as the API returns them). What the model
 * answered must come out validated and right (phones to E.164, nulls dropped), labelled
 * extractor:openai, and the prompt must carry the business's vocabulary and the SOP's meanings.
 */

const OPENAI_URL = "https://api.openai.com/v1/chat/completions";
const server = useVendorEdge();
const dir = new URL("../../fixtures/extraction/openai/", import.meta.url);
const recordings = readdirSync(dir)
  .filter((name) => name.endsWith(".json"))
  .map((name) => JSON.parse(readFileSync(new URL(name, dir), "utf8")) as { call: string; response: unknown });
const corpus = new Map(loadCorpus().map((call) => [call.id, call]));

describe("the OpenAI extractor on recorded answers for corpus calls", () => {
  it("has recordings for several calls of the corpus", () => {
    expect(recordings.length).toBeGreaterThanOrEqual(5);
    for (const { call } of recordings) expect(corpus.has(call), call).toBe(true);
  });

  for (const recording of recordings) {
    it(`extracts ${recording.call} from the model's answer, validated and labelled`, async () => {
      const call = corpus.get(recording.call)!;
      let body: any;
      server.use(
        http.post(OPENAI_URL, async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(recording.response as Record<string, unknown>);
        }),
      );
      const extractor = openAiExtractor({ apiKey: "sk-test-corpus", model: "gpt-4o-mini", maxRetries: 0, timeoutMs: 2_000 });
      const { fields, sources } = await extractCall(extractor, call);

      const score = scoreCorpus([{ call, fields }]);
      expect(score.misses).toEqual([]);
      for (const field of Object.keys(fields)) expect(["extractor:openai", "caller_id"]).toContain(sources[field as keyof typeof sources]);

      const [system, user] = body.messages;
      for (const type of corpusBusinesses[call.business]!.serviceTypes) expect(system.content).toContain(type);
      for (const [urgency, meaning] of Object.entries(URGENCY_MEANINGS)) expect(system.content).toContain(`${urgency}: ${meaning}`);
      expect(system.content).toContain(`(${corpusBusinesses[call.business]!.timezone})`);
      expect(user.content).toContain("Transcript:\n");
      expect(body.response_format.json_schema.strict).toBe(true);
    });
  }

  it("tells the model today's date in the business's time zone", async () => {
    const call = corpus.get("south-clarkson-no-suffix")!;
    const recording = recordings.find((r) => r.call === call.id)!;
    let system = "";
    server.use(
      http.post(OPENAI_URL, async ({ request }) => {
        system = ((await request.json()) as any).messages[0].content;
        return HttpResponse.json(recording.response as Record<string, unknown>);
      }),
    );
    await extractCall(openAiExtractor({ apiKey: "sk-test-corpus", model: "gpt-4o-mini", maxRetries: 0 }), call);
    expect(system).toContain("Today is Monday 2025-11-17 in the business's time zone (America/Denver)");
  });
});
