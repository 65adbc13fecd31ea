import { readFileSync } from "node:fs";
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
