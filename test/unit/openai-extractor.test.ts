import { delay, http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { ExtractionInput } from "../../src/adapters/extractor/extractor.ts";
import { ExtractionFailedError, openAiExtractor } from "../../src/adapters/extractor/openai.ts";
import { TRANSCRIPT_READ_CHARS } from "../../src/adapters/extractor/read-cap.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

const OPENAI_URL = "https://api.openai.com/v1/chat/completions";
const server = useVendorEdge();

const INPUT: ExtractionInput = {
  transcript:
    "AI: Thank you for calling Acme Plumbing and Heating.\nUser: Hey, this is Kevin Tran. My AC is blowing warm air. Call me back at 512-555-0199 instead.",
  summary: "Kevin Tran reports his AC is blowing warm air.",
  callerPhone: "+15125550188",
  serviceTypes: ["AC repair", "Plumbing"],
  timezone: "America/Chicago",
  now: new Date("2025-06-10T20:00:00Z"),
};

const ANSWER = {
  fullName: "Kevin Tran",
  phone: "(512) 555-0199",
  serviceAddress: null,
  market: "Austin",
  serviceType: "AC repair",
  urgency: "standard",
  source: null,
  summaryNotes: "AC blowing warm air; wants a callback on his cell.",
  promisedNextStep: null,
  leadType: "service",
  referralContext: null,
  followUpDate: null,
};

/** A chat completion as the API returns it, with `content` as the structured answer. */
function completion(content: unknown, message: Record<string, unknown> = {}) {
  return {
    id: "chatcmpl-BfQ2x9kTz3",
    object: "chat.completion",
    created: 1749585600,
    model: "gpt-4o-mini-2024-07-18",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: JSON.stringify(content), refusal: null, annotations: [], ...message },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: 412, completion_tokens: 96, total_tokens: 508 },
    system_fingerprint: "fp_34a54ae93c",
  };
}

// A 500 without a body, as a gateway in front of the API sends one: the SDK cancels an error
// body before retrying, and cancelling an msw-made body never settles (mswjs/interceptors#799).
// Zero backoff keeps the suite fast; the SDK honours retry-after-ms.
const serverError = () => new HttpResponse(null, { status: 500, headers: { "retry-after-ms": "0" } });

const extractor = (options: Partial<Parameters<typeof openAiExtractor>[0]> = {}) =>
  openAiExtractor({ apiKey: "sk-test-123", model: "gpt-4o-mini", maxRetries: 1, timeoutMs: 2_000, ...options });

async function failure(promise: Promise<unknown>): Promise<ExtractionFailedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionFailedError);
  return error as ExtractionFailedError;
}

describe("openAiExtractor", () => {
  it("is named openai", () => {
    expect(extractor().name).toBe("openai");
  });

  it("asks for a strict structured output and returns the validated fields without nulls", async () => {
    let request: { body: any; authorization: string | null } | undefined;
    server.use(
      http.post(OPENAI_URL, async ({ request: req }) => {
        request = { body: await req.json(), authorization: req.headers.get("authorization") };
        return HttpResponse.json(completion(ANSWER));
      }),
    );

    const fields = await extractor().extract(INPUT);

    expect(fields).toEqual({
      fullName: "Kevin Tran",
      phone: "+15125550199",
      market: "Austin",
      serviceType: "AC repair",
      urgency: "standard",
      summaryNotes: "AC blowing warm air; wants a callback on his cell.",
      leadType: "service",
    });
    expect(request!.authorization).toBe("Bearer sk-test-123");
    expect(request!.body.model).toBe("gpt-4o-mini");
    const format = request!.body.response_format;
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.name).toBe("lead_fields");
    expect(format.json_schema.strict).toBe(true);
    // Strict mode: every property required, "not heard" expressed as null.
    expect([...format.json_schema.schema.required].sort()).toEqual(Object.keys(ANSWER).sort());
    expect(format.json_schema.schema.properties.urgency.anyOf[0].enum).toEqual(["emergency", "active_loss", "standard", "low"]);
    const [system, user] = request!.body.messages;
    expect(system.content).toContain("Today is Tuesday 2025-06-10");
    expect(system.content).toContain("AC repair; Plumbing");
    expect(user.content).toContain("Caller ID: +15125550188");
    expect(user.content).toContain("Call me back at 512-555-0199 instead.");
  });

  it("drops values that fail validation instead of storing them", async () => {
    server.use(http.post(OPENAI_URL, () => HttpResponse.json(completion({ ...ANSWER, phone: "555-01", followUpDate: "next week" }))));
    const fields = await extractor().extract(INPUT);
    expect(fields).not.toHaveProperty("phone");
    expect(fields).not.toHaveProperty("followUpDate");
    expect(fields.fullName).toBe("Kevin Tran");
  });

  it("talks to any OpenAI-compatible server at a custom baseURL", async () => {
    let model: string | undefined;
    server.use(
      http.post("http://llm.internal:11434/v1/chat/completions", async ({ request }) => {
        model = ((await request.json()) as { model: string }).model;
        return HttpResponse.json(completion({ ...ANSWER, urgency: "emergency" }));
      }),
    );
    const fields = await extractor({ baseURL: "http://llm.internal:11434/v1", model: "llama3.1:8b" }).extract(INPUT);
    expect(model).toBe("llama3.1:8b");
    expect(fields.urgency).toBe("emergency");
  });

  it("retries after a 500 and returns the answer of the retry", async () => {
    let calls = 0;
    server.use(
      http.post(OPENAI_URL, () => {
        calls += 1;
        return calls === 1 ? serverError() : HttpResponse.json(completion(ANSWER));
      }),
    );
    const fields = await extractor({ maxRetries: 2 }).extract(INPUT);
    expect(calls).toBe(2);
    expect(fields.fullName).toBe("Kevin Tran");
  });

  it("waits out a 429 rate limit and retries", async () => {
    let calls = 0;
    server.use(
      http.post(OPENAI_URL, () => {
        calls += 1;
        return calls === 1 ? new HttpResponse(null, { status: 429, headers: { "retry-after-ms": "0" } }) : HttpResponse.json(completion(ANSWER));
      }),
    );
    expect((await extractor({ maxRetries: 1 }).extract(INPUT)).phone).toBe("+15125550199");
    expect(calls).toBe(2);
  });

  it("gives up after maxRetries and says so", async () => {
    let calls = 0;
    server.use(
      http.post(OPENAI_URL, () => {
        calls += 1;
        return serverError();
      }),
    );
    const error = await failure(extractor({ maxRetries: 2 }).extract(INPUT));
    expect(calls).toBe(3);
    expect(error.message).toBe("OpenAI answered 500 after 2 retries: 500 status code (no body)");
  });

  it("does not retry a rejected API key", async () => {
    let calls = 0;
    server.use(
      http.post(OPENAI_URL, () => {
        calls += 1;
        return HttpResponse.json({ error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } }, { status: 401 });
      }),
    );
    const error = await failure(extractor({ maxRetries: 3 }).extract(INPUT));
    expect(calls).toBe(1);
    expect(error.message).toMatch(/^OpenAI answered 401: .*Incorrect API key/);
  });

  it("times out a slow answer and names the timeout", async () => {
    server.use(
      http.post(OPENAI_URL, async () => {
        await delay(1_000);
        return HttpResponse.json(completion(ANSWER));
      }),
    );
    const error = await failure(extractor({ timeoutMs: 50, maxRetries: 0 }).extract(INPUT));
    expect(error.message).toBe("OpenAI request timed out (50 ms per attempt) after 0 retries");
  });

  it("reports a refusal", async () => {
    server.use(http.post(OPENAI_URL, () => HttpResponse.json(completion(null, { content: null, refusal: "I can't help with that." }))));
    const error = await failure(extractor().extract(INPUT));
    expect(error.message).toBe("the model refused: I can't help with that.");
  });

  it("reports an answer outside the schema, as a non-strict compatible server may give", async () => {
    server.use(http.post(OPENAI_URL, () => HttpResponse.json(completion({ ...ANSWER, urgency: "ASAP" }))));
    const error = await failure(extractor().extract(INPUT));
    expect(error.message).toMatch(/^the model's answer did not match the extraction schema/);
  });

  it("sends the model only the start and end of an oversized transcript", async () => {
    let user = "";
    server.use(
      http.post(OPENAI_URL, async ({ request }) => {
        user = ((await request.json()) as any).messages[1].content;
        return HttpResponse.json(completion(ANSWER));
      }),
    );
    const middle = "AI: Take your time.\nUser: Um, let me think.\n".repeat(25_000);
    await extractor().extract({ ...INPUT, transcript: `${INPUT.transcript}\n${middle}AI: I'll have someone call you.` });
    expect(user).toContain("Call me back at 512-555-0199 instead.");
    expect(user).toContain("AI: I'll have someone call you.");
    expect(user.length).toBeLessThan(TRANSCRIPT_READ_CHARS + 1_000);
  });
});
