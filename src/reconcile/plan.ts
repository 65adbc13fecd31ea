import type { Settings } from "../core/deps.ts";
import type { BusinessRow } from "../core/records.ts";
import { durationMs } from "../domain/duration.ts";
import { toE164 } from "../domain/phone.ts";
import { DEFAULT_API_BASE, RECONCILE_PROVIDERS, type ReconcileApiProvider, type ReconcileProvider } from "../domain/reconcile-config.ts";

/** How one business is reconciled with one provider right now, read from its config and the environment. */
export interface ReconcilePlan {
  provider: ReconcileProvider;
  everyMs: number;
  lookBackMs: number;
  /** Vapi, Retell, Bland: the key and base URL. */
  api?: { apiKey: string; baseUrl: string };
  /** Twilio: the gateway's own credentials. */
  twilio?: { accountSid: string; authToken: string; useFetch?: boolean };
  /**
   * The business's numbers at the provider: a call belongs to the business when one of its ends is
   * one of them. Null: every call of the account is the business's (its own key, no numbers given).
   */
  numbers: ReadonlySet<string> | null;
}

/** The plan, or why there is none (reconciliation with that provider is off for the business). */
export function reconcilePlan(business: BusinessRow, settings: Settings, provider: ReconcileProvider): ReconcilePlan | { off: string } {
  const config = business.config;
  const reconcile = config.reconcile;
  const timing = { everyMs: durationMs(reconcile.every), lookBackMs: durationMs(reconcile.lookBack) };
  if (provider === "twilio") {
    if (!reconcile.twilio) return { off: "reconcile.twilio is not true" };
    const twilio = settings.reconcile?.twilio;
    if (!twilio) return { off: "the gateway has no Twilio credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)" };
    if (config.numbers.length === 0) return { off: "the business names no numbers" };
    return { provider, ...timing, twilio, numbers: new Set(config.numbers) };
  }
  const own = reconcile[provider];
  const apiKey = own?.apiKey ?? settings.reconcile?.apiKeys[provider];
  if (!apiKey) return { off: `no ${provider} API key (reconcile.${provider}.apiKey or ${ENV_KEYS[provider]})` };
  // A key from the environment is the agency's, shared by its businesses: only calls to this
  // business's numbers are its own.
  const listed = own?.numbers ?? (own?.apiKey ? null : config.numbers);
  if (listed && listed.length === 0) return { off: `the ${provider} key is the environment's, shared, and the business names no numbers to tell its calls by` };
  return {
    provider,
    ...timing,
    api: { apiKey, baseUrl: own?.baseUrl ?? DEFAULT_API_BASE[provider] },
    numbers: listed ? new Set(listed) : null,
  };
}

/** The environment variable each provider's default key comes from (CONTRACT §14). */
export const ENV_KEYS: Record<ReconcileApiProvider, string> = { vapi: "VAPI_API_KEY", retell: "RETELL_API_KEY", bland: "BLAND_API_KEY" };

/** Whether a call with these numbers at its ends is the business's under the plan. */
export function belongsTo(plan: ReconcilePlan, numbers: string[]): boolean {
  if (!plan.numbers) return true;
  return numbers.some((n) => {
    const e164 = toE164(n);
    return e164 !== null && plan.numbers!.has(e164);
  });
}

/** The providers this business is reconciled with now. */
export function plannedProviders(business: BusinessRow, settings: Settings): ReconcilePlan[] {
  return RECONCILE_PROVIDERS.map((p) => reconcilePlan(business, settings, p)).filter((p): p is ReconcilePlan => !("off" in p));
}
