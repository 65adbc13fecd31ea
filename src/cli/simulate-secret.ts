import demoBusiness from "../../fixtures/demo-business.json" with { type: "json" };
import type { Env } from "../runtime/env.ts";

/** The secrets a business config may hold (CONTRACT §2). */
export type SecretName = keyof typeof demoBusiness.secrets;

/** What each secret is called in a message to the user. */
export const SECRET_LABEL: Record<SecretName, string> = {
  vapi: "vapi secret", retell: "Retell API key", bland: "Bland webhook secret", intake: "intake secret", twilioAuthToken: "Twilio auth token",
};

/**
 * The secret to sign with, as the server would check it: --secret, else the business's own
 * (readable when its database is local), else the environment's; the demo's when neither can be
 * read and the business is the demo. Throws, naming --secret, when there is none to use.
 */
export async function secretFor(
  uses: { env: keyof Env; secret: SecretName },
  business: string,
  input: { secret?: string; env: Env; localSecrets?: () => Promise<Partial<Record<SecretName, string>> | undefined> },
): Promise<string> {
  if (input.secret) return input.secret;
  const own = await input.localSecrets?.();
  const fromEnv = input.env[uses.env] as string | undefined;
  const found = own?.[uses.secret] ?? fromEnv ?? (own === undefined && business === demoBusiness.slug ? demoBusiness.secrets[uses.secret] : undefined);
  if (found) return found;
  const why = own === undefined ? "the API masks secrets, and only a database shared through DATABASE_URL is read for them" : "neither its config nor the environment has one";
  throw new Error(`no ${SECRET_LABEL[uses.secret]} for ${business}: ${why}; pass --secret <${business}'s ${SECRET_LABEL[uses.secret]}>`);
}
