import { expect, test } from "vitest";
import { Webhook } from "standardwebhooks";
import { postSigned } from "../../src/adapters/webhooks/standard-webhooks.ts";

// One attempt at a delivery ends with the answer's status, whatever its body does afterwards: an
// error page whose stream never finishes cancelling left the attempt in flight, never recorded.

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const post = { url: "https://receiver.example/hooks", secret, id: "msg_1", timestamp: new Date("2026-12-01T12:00:00Z"), body: '{"type":"lead.created"}', timeoutMs: 15_000 };

/** An answer whose body stream never settles a cancel. */
const stuckBody = (status: number) =>
  new Response(new ReadableStream({ pull: () => new Promise(() => {}), cancel: () => new Promise(() => {}) }), { status });

test("a 500 whose body never finishes cancelling is a failed attempt, not a hang", async () => {
  const result = await Promise.race([
    postSigned(post, async () => stuckBody(500)),
    new Promise((resolve) => setTimeout(() => resolve("hung"), 1_000)),
  ]);
  expect(result).toEqual({ ok: false, status: 500, error: "answered 500" });
});

test("a 2xx with such a body is delivered, and what was sent verifies with the library", async () => {
  let sent: Request | undefined;
  // Now, so the verifier's five-minute tolerance takes it.
  const result = await postSigned({ ...post, timestamp: new Date() }, async (url, init) => {
    sent = new Request(url, init);
    return stuckBody(200);
  });
  expect(result).toEqual({ ok: true, status: 200 });
  const headers = Object.fromEntries(sent!.headers);
  expect(() => new Webhook(secret).verify(post.body, headers)).not.toThrow();
});
