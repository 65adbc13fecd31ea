import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { openAiExtractor } from "../../src/adapters/extractor/openai.ts";
import { fixture, signedHeaders } from "../helpers/sign-fixture.ts";
import { useTestApp } from "../helpers/harness.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

const OPENAI_URL = "https://api.openai.com/v1/chat/completions";

const ANSWER = {
  fullName: "Nina Patel", phone: "512-555-0172", serviceAddress: "2715 Rosedale Avenue, Austin, TX 78756", market: "Austin",
  serviceType: "Outdoor spigot repair", urgency: "active_loss", source: null, summaryNotes: "Cracked outdoor spigot spraying the wall; no shut-off found.",
  promisedNextStep: "On-call plumber calls back within 10 minutes", leadType: "service", referralContext: null, followUpDate: null,
};

const completion = (content: unknown) => ({
  id: "chatcmpl-1", object: "chat.completion", created: 1749585600, model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify(content), refusal: null }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 400, completion_tokens: 90, total_tokens: 490 },
});

describe("a webhook extracted by OpenAI (the real SDK, msw at the OpenAI edge)", () => {
  const server = useVendorEdge();
  const t = useTestApp("pglite", () => ({ deps: { extractor: openAiExtractor({ apiKey: "sk-test", model: "gpt-4o-mini", maxRetries: 1, timeoutMs: 2_000 }) } }));

  const postTranscript = async (business: string) => {
    const body = fixture("intake/transcript-only");
    const res = await t.app.request(`/webhooks/${business}/intake`, { method: "POST", body, headers: await signedHeaders("intake", body, t.clock.now()) });
    expect(res.status).toBe(200);
    await t.settle();
    return (await t.call("GET", `/api/leads?business=${business}`)).body.leads[0];
  };

  it("fills the lead from the structured output, validated, with the extractor named as source", async () => {
    let asked: any;
    server.use(http.post(OPENAI_URL, async ({ request }) => ((asked = await request.json()), HttpResponse.json(completion(ANSWER)))));
    const business = await t.newBusiness();
    const lead = await postTranscript(business);
    expect(asked.response_format.type).toBe("json_schema");
    expect(JSON.stringify(asked.messages)).toContain("Nina Patel");
    expect(lead).toMatchObject({ fullName: "Nina Patel", phone: "+15125550172", urgency: "active_loss", state: "offered", ownerId: "dana" });
    expect(lead.fieldSources).toMatchObject({ fullName: "extractor:openai", source: "intake_api" });
  });

  it("when OpenAI gives up, an event says so and the heuristic fills in", async () => {
    server.use(http.post(OPENAI_URL, () => new HttpResponse(null, { status: 503, headers: { "retry-after-ms": "0" } })));
    const business = await t.newBusiness();
    const lead = await postTranscript(business);
    expect(lead).toMatchObject({ fullName: "Nina Patel", phone: "+15125550172" });
    expect(lead.fieldSources.fullName).toBe("extractor:heuristic");
    const { body } = await t.call("GET", `/api/leads/${lead.id}`);
    const failed = body.events.find((e: any) => e.type === "extraction_failed");
    expect(failed.detail).toMatchObject({ extractor: "openai", error: expect.stringContaining("503") });
  });
});
