import { readFileSync } from "node:fs";
import { base64url, SignJWT } from "jose";
import { signBland } from "../../src/adapters/inbound/bland.ts";
import { signIntake } from "../../src/adapters/inbound/intake.ts";
import { signRetell } from "../../src/adapters/inbound/retell.ts";
import { signVapi } from "../../src/adapters/inbound/vapi.ts";

export type AiProvider = "vapi" | "retell" | "bland" | "intake";

/** The demo business's secrets (fixtures/demo-business.json). */
export const DEMO_SECRETS: Record<AiProvider, string> = {
  vapi: "demo-vapi-secret",
  retell: "demo-retell-key",
  bland: "demo-bland-secret",
  intake: "demo-intake-secret",
};

const SIGNERS = { vapi: signVapi, retell: signRetell, bland: signBland, intake: signIntake };

/** A fixture's raw text, e.g. fixture("vapi/complete-call"). */
export const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}.json`, import.meta.url), "utf8");

/** Headers the provider would send with this body, signed with `secret` (the demo's by default). */
export function signedHeaders(provider: AiProvider, body: string, now: Date, secret = DEMO_SECRETS[provider]) {
  return SIGNERS[provider](body, secret, now);
}

/**
 * A signature made the way QStash makes one: an HS256 JWT over the destination URL and the body's
 * SHA-256, valid from `notBefore` until `expiresAt` (epoch seconds; now and five minutes on).
 */
export async function signQstash(key: string, url: string, body: string, valid: { notBefore?: number; expiresAt?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  return new SignJWT({ body: base64url.encode(digest) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("Upstash")
    .setSubject(url)
    .setIssuedAt(now)
    .setNotBefore(valid.notBefore ?? now)
    .setExpirationTime(valid.expiresAt ?? now + 300)
    .setJti(`jwt_${crypto.randomUUID()}`)
    .sign(new TextEncoder().encode(key));
}
