import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { qstashDeduplicationId, qstashScheduler } from "../../src/adapters/scheduler/qstash.ts";
import { verifyQstash } from "../../src/adapters/inbound/qstash.ts";
import { signQstash } from "../helpers/sign-fixture.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

const PUBLISH = "https://qstash.upstash.io/v2/publish/*";
const server = useVendorEdge();

interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

/** Answers every publish with `messageId` and keeps what QStash would have received. */
function acceptPublishes(messageId = "msg_26hZCxZCuWyyTWPmSVBrNCtiJF") {
  const seen: SeenRequest[] = [];
  server.use(
    http.post(PUBLISH, async ({ request }) => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body: await request.text() });
      return HttpResponse.json({ messageId, url: "https://handoff.example.com/webhooks/qstash" }, { status: 201 });
    }),
  );
  return seen;
}

const scheduler = () => qstashScheduler({ token: "qstash-token", publicUrl: "https://handoff.example.com/" });
const wakeUp = {
  timerId: "5b0c7a52-9a1e-4c83-9d0f-1f2d3c4b5a69",
  dueAt: new Date("2026-11-23T15:05:00.000Z"),
  dedupeKey: "escalate:lead-42:level-1",
};

describe("scheduling a wake-up on QStash", () => {
  it("publishes { timerId } to <PUBLIC_URL>/webhooks/qstash, not before the due second, deduplicated by the timer's key", async () => {
    const seen = acceptPublishes();
    const messageId = await scheduler().publishTimer(wakeUp);

    expect(messageId).toBe("msg_26hZCxZCuWyyTWPmSVBrNCtiJF");
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.url).toBe("https://qstash.upstash.io/v2/publish/https://handoff.example.com/webhooks/qstash");
    expect(request!.headers.get("authorization")).toBe("Bearer qstash-token");
    expect(request!.headers.get("upstash-not-before")).toBe(String(Date.parse("2026-11-23T15:05:00Z") / 1000));
    expect(request!.headers.get("upstash-deduplication-id")).toBe(qstashDeduplicationId(wakeUp.dedupeKey));
    expect(request!.headers.get("upstash-retries")).toBe("3");
    expect(request!.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual({ timerId: wakeUp.timerId });
  });

  it("rounds a due time with milliseconds up to the next second, so the wake-up is never early", async () => {
    const seen = acceptPublishes();
    await scheduler().publishTimer({ ...wakeUp, dueAt: new Date("2026-11-23T15:05:00.001Z") });
    expect(seen[0]!.headers.get("upstash-not-before")).toBe(String(Date.parse("2026-11-23T15:05:01Z") / 1000));
  });

  it("schedule() resolves once QStash has accepted the publish", async () => {
    const seen = acceptPublishes();
    await expect(scheduler().schedule(wakeUp)).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it("passes the configured retries and talks to QSTASH_URL when one is given", async () => {
    const seen: SeenRequest[] = [];
    server.use(
      http.post("https://qstash-eu.example.net/v2/publish/*", async ({ request }) => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body: await request.text() });
        return HttpResponse.json({ messageId: "msg_eu" });
      }),
    );
    const eu = qstashScheduler({ token: "t", baseUrl: "https://qstash-eu.example.net", publicUrl: "https://h.example.com", retries: 5 });
    expect(await eu.publishTimer(wakeUp)).toBe("msg_eu");
    expect(seen[0]!.url).toBe("https://qstash-eu.example.net/v2/publish/https://h.example.com/webhooks/qstash");
    expect(seen[0]!.headers.get("upstash-retries")).toBe("5");
  });

  it("fails the publish when QStash refuses it, so the caller knows the wake-up is not scheduled", async () => {
    server.use(http.post(PUBLISH, () => HttpResponse.json({ error: "invalid destination" }, { status: 400 })));
    await expect(scheduler().publishTimer(wakeUp)).rejects.toThrow(/invalid destination/);
  });
});

describe("deduplication ids", () => {
  it("leaves a key QStash accepts as it is", () => {
    expect(qstashDeduplicationId("escalate_lead-42.level-1")).toBe("escalate_lead-42.level-1");
  });

  it("replaces characters outside letters, digits, - _ . and keeps different keys different", () => {
    const colon = qstashDeduplicationId("escalate:lead-42:level-1");
    expect(colon).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(colon.startsWith("escalate_lead-42_level-1-")).toBe(true);
    expect(colon).not.toBe(qstashDeduplicationId("escalate_lead-42_level-1"));
    expect(qstashDeduplicationId("a:b")).toBe(qstashDeduplicationId("a:b"));
  });

  it("cuts a long key to 100 characters without losing its identity", () => {
    const long = "x".repeat(150);
    expect(qstashDeduplicationId(long)).toHaveLength(100);
    expect(qstashDeduplicationId(long)).not.toBe(qstashDeduplicationId(`${long}y`));
  });
});

describe("canceling a wake-up on QStash", () => {
  it("deletes the message by its id", async () => {
    const deleted: string[] = [];
    server.use(
      http.delete("https://qstash.upstash.io/v2/messages/:id", ({ params }) => {
        deleted.push(String(params.id));
        return new HttpResponse(null, { status: 200 });
      }),
    );
    await scheduler().cancel({ timerId: wakeUp.timerId, externalId: "msg_123" });
    expect(deleted).toEqual(["msg_123"]);
  });

  it("treats a message QStash no longer knows (404) as already gone", async () => {
    server.use(http.delete("https://qstash.upstash.io/v2/messages/:id", () => HttpResponse.json({ error: "not found" }, { status: 404 })));
    await expect(scheduler().cancel({ timerId: wakeUp.timerId, externalId: "msg_gone" })).resolves.toBeUndefined();
  });

  it("reports any other failure to the caller", async () => {
    server.use(http.delete("https://qstash.upstash.io/v2/messages/:id", () => HttpResponse.json({ error: "boom" }, { status: 500 })));
    await expect(scheduler().cancel({ timerId: wakeUp.timerId, externalId: "msg_123" })).rejects.toThrow();
  });

  it("sends nothing for a timer that was never published (msw would fail on any request)", async () => {
    await expect(scheduler().cancel({ timerId: wakeUp.timerId, externalId: null })).resolves.toBeUndefined();
  });
});

describe("verifying a QStash delivery", () => {
  const url = "https://handoff.example.com/webhooks/qstash";
  const rawBody = JSON.stringify({ timerId: wakeUp.timerId });
  const keys = { currentSigningKey: "sig_current_3kL9", nextSigningKey: "sig_next_7pQ2" };

  /** A QStash signature with `key` over this URL and body, unless the claims say otherwise. */
  const sign = (key: string, claims: { sub?: string; body?: string; nbf?: number; exp?: number } = {}) =>
    signQstash(key, claims.sub ?? url, claims.body ?? rawBody, { notBefore: claims.nbf, expiresAt: claims.exp });

  it("accepts a delivery signed with the current key", async () => {
    expect(await verifyQstash({ rawBody, url, signature: await sign(keys.currentSigningKey), ...keys })).toBe(true);
  });

  it("accepts a delivery signed with the next key (during a key rotation)", async () => {
    expect(await verifyQstash({ rawBody, url, signature: await sign(keys.nextSigningKey), ...keys })).toBe(true);
  });

  it("refuses a delivery signed with any other key", async () => {
    expect(await verifyQstash({ rawBody, url, signature: await sign("sig_attacker"), ...keys })).toBe(false);
  });

  it("refuses a signature made for another URL", async () => {
    const signature = await sign(keys.currentSigningKey, { sub: "https://elsewhere.example.com/webhooks/qstash" });
    expect(await verifyQstash({ rawBody, url, signature, ...keys })).toBe(false);
  });

  it("refuses a body that is not the one that was signed", async () => {
    const signature = await sign(keys.currentSigningKey);
    const tampered = JSON.stringify({ timerId: "00000000-0000-4000-8000-000000000000" });
    expect(await verifyQstash({ rawBody: tampered, url, signature, ...keys })).toBe(false);
  });

  it("refuses an expired signature", async () => {
    const now = Math.floor(Date.now() / 1000);
    const signature = await sign(keys.currentSigningKey, { nbf: now - 900, exp: now - 600 });
    expect(await verifyQstash({ rawBody, url, signature, ...keys })).toBe(false);
  });

  it("refuses a signature that is not valid yet", async () => {
    const now = Math.floor(Date.now() / 1000);
    const signature = await sign(keys.currentSigningKey, { nbf: now + 600, exp: now + 900 });
    expect(await verifyQstash({ rawBody, url, signature, ...keys })).toBe(false);
  });

  it("answers false instead of throwing on a missing or malformed signature, or no configured key", async () => {
    expect(await verifyQstash({ rawBody, url, signature: undefined, ...keys })).toBe(false);
    expect(await verifyQstash({ rawBody, url, signature: "not.a.jwt", ...keys })).toBe(false);
    const signature = await sign(keys.currentSigningKey);
    expect(await verifyQstash({ rawBody, url, signature, currentSigningKey: undefined, nextSigningKey: undefined })).toBe(false);
  });

  it("works with only a current key configured", async () => {
    const signature = await sign(keys.currentSigningKey);
    expect(await verifyQstash({ rawBody, url, signature, currentSigningKey: keys.currentSigningKey })).toBe(true);
  });
});
