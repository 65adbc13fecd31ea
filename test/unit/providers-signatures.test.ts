import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { signBland, verifyBland } from "../../src/adapters/inbound/bland.ts";
import { signIntake, verifyIntake } from "../../src/adapters/inbound/intake.ts";
import { signRetell, verifyRetell } from "../../src/adapters/inbound/retell.ts";
import { signVapi, verifyVapi } from "../../src/adapters/inbound/vapi.ts";

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), "utf8");
// Computed with node:crypto, independently of the code under test.
const hmac = (key: string, message: string) => createHmac("sha256", key).update(message).digest("hex");

const SECRET = "whsec_acme_7f3a9c2e41b8";
const NOW = new Date("2025-06-10T14:33:41.000Z");

describe("verifyVapi", () => {
  const rawBody = fixture("vapi/complete-call.json");

  it("accepts the legacy X-Vapi-Secret header carrying the secret", async () => {
    expect(await verifyVapi({ headers: new Headers({ "X-Vapi-Secret": SECRET }), rawBody, secret: SECRET })).toBe(true);
  });

  it("accepts the secret as a Bearer token", async () => {
    expect(await verifyVapi({ headers: new Headers({ Authorization: `Bearer ${SECRET}` }), rawBody, secret: SECRET })).toBe(true);
  });

  it("accepts a Bearer token even when a stale X-Vapi-Secret is also sent", async () => {
    const headers = new Headers({ "X-Vapi-Secret": "old-secret", Authorization: `Bearer ${SECRET}` });
    expect(await verifyVapi({ headers, rawBody, secret: SECRET })).toBe(true);
  });

  it("rejects a wrong secret, a missing header, and an empty configured secret", async () => {
    expect(await verifyVapi({ headers: new Headers({ "X-Vapi-Secret": "nope" }), rawBody, secret: SECRET })).toBe(false);
    expect(await verifyVapi({ headers: new Headers(), rawBody, secret: SECRET })).toBe(false);
    expect(await verifyVapi({ headers: new Headers({ "X-Vapi-Secret": "" }), rawBody, secret: "" })).toBe(false);
  });

  it("signs the way Vapi sends it, and the result verifies", async () => {
    const headers = await signVapi(rawBody, SECRET);
    expect(headers["x-vapi-secret"]).toBe(SECRET);
    expect(await verifyVapi({ headers: new Headers(headers), rawBody, secret: SECRET })).toBe(true);
  });
});

describe("verifyRetell", () => {
  const rawBody = fixture("retell/complete-call.json");
  const stamped = (body: string, key: string, at: Date) => `v=${at.getTime()},d=${hmac(key, body + at.getTime())}`;
  const verify = (signature: string | null, body = rawBody, now = NOW) =>
    verifyRetell({ headers: new Headers(signature === null ? {} : { "x-retell-signature": signature }), rawBody: body, secret: SECRET, now });

  it("accepts a v=<ms>,d=<hmac of body + ms> signature made with the secret", async () => {
    expect(await verify(stamped(rawBody, SECRET, NOW))).toBe(true);
  });

  it("accepts a timestamp up to five minutes either side of now", async () => {
    expect(await verify(stamped(rawBody, SECRET, new Date(NOW.getTime() - 4 * 60_000)))).toBe(true);
    expect(await verify(stamped(rawBody, SECRET, new Date(NOW.getTime() + 4 * 60_000)))).toBe(true);
  });

  it("rejects a stale signature, even though its HMAC is right", async () => {
    expect(await verify(stamped(rawBody, SECRET, new Date(NOW.getTime() - 6 * 60_000)))).toBe(false);
  });

  it("rejects a tampered body, a wrong key, a moved timestamp and a missing header", async () => {
    expect(await verify(stamped(rawBody, SECRET, NOW), rawBody.replace("Carlos", "Carla"))).toBe(false);
    expect(await verify(stamped(rawBody, "another-key", NOW))).toBe(false);
    const digest = hmac(SECRET, rawBody + NOW.getTime());
    expect(await verify(`v=${NOW.getTime() + 1000},d=${digest}`)).toBe(false);
    expect(await verify(null)).toBe(false);
    expect(await verify("garbage")).toBe(false);
  });

  it("accepts the older plain hex HMAC of the body", async () => {
    expect(await verify(hmac(SECRET, rawBody))).toBe(true);
    expect(await verify(hmac(SECRET, rawBody).toUpperCase())).toBe(true);
    expect(await verify(hmac("another-key", rawBody))).toBe(false);
  });

  it("signs exactly as Retell does, and the result verifies", async () => {
    const headers = await signRetell(rawBody, SECRET, NOW);
    expect(headers["x-retell-signature"]).toBe(stamped(rawBody, SECRET, NOW));
    expect(await verify(headers["x-retell-signature"]!)).toBe(true);
  });
});

describe("verifyBland", () => {
  const rawBody = fixture("bland/complete-call.json");
  const verify = (signature: string | null, body = rawBody, secret = SECRET) =>
    verifyBland({ headers: new Headers(signature === null ? {} : { "X-Webhook-Signature": signature }), rawBody: body, secret });

  it("accepts the hex HMAC-SHA256 of the raw body", async () => {
    expect(await verify(hmac(SECRET, rawBody))).toBe(true);
  });

  it("rejects a tampered body, a wrong key and a missing header", async () => {
    expect(await verify(hmac(SECRET, rawBody), rawBody.replace("2904", "2906"))).toBe(false);
    expect(await verify(hmac("another-key", rawBody))).toBe(false);
    expect(await verify(null)).toBe(false);
  });

  it("checks the body byte for byte: re-serialised JSON does not verify", async () => {
    const reserialised = JSON.stringify(JSON.parse(rawBody));
    expect(await verify(hmac(SECRET, rawBody), reserialised)).toBe(false);
  });

  it("signs exactly as Bland does, and the result verifies", async () => {
    const headers = await signBland(rawBody, SECRET);
    expect(headers["x-webhook-signature"]).toBe(hmac(SECRET, rawBody));
    expect(await verify(headers["x-webhook-signature"]!)).toBe(true);
  });
});

describe("verifyIntake", () => {
  const rawBody = fixture("intake/web-form-complete.json");

  it("accepts the intake secret as a Bearer token", async () => {
    expect(await verifyIntake({ headers: new Headers({ Authorization: `Bearer ${SECRET}` }), rawBody, secret: SECRET })).toBe(true);
  });

  it("rejects a wrong token, a missing header and a bare token without the Bearer scheme", async () => {
    expect(await verifyIntake({ headers: new Headers({ Authorization: "Bearer nope" }), rawBody, secret: SECRET })).toBe(false);
    expect(await verifyIntake({ headers: new Headers(), rawBody, secret: SECRET })).toBe(false);
    expect(await verifyIntake({ headers: new Headers({ Authorization: SECRET }), rawBody, secret: SECRET })).toBe(false);
  });

  it("signs with the Bearer header, and the result verifies", async () => {
    const headers = await signIntake(rawBody, SECRET);
    expect(headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(await verifyIntake({ headers: new Headers(headers), rawBody, secret: SECRET })).toBe(true);
  });
});
