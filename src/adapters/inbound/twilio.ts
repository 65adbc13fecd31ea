import twilio from "twilio";
import { cleanJson } from "../../domain/storable-text.ts";

/** What an inbound Twilio webhook carries that the signature covers. */
export interface TwilioSignedRequest {
  /** The business's Twilio auth token (its `secrets.twilioAuthToken`, else the environment's). */
  authToken: string;
  /** The exact URL Twilio requested: the public one, with its query (see publicWebhookUrl). */
  url: string;
  /** The POSTed form fields, as parseTwilioForm returns them. */
  params: Record<string, string>;
  /** The `X-Twilio-Signature` header; null or empty when it was missing. */
  signature: string | null | undefined;
}

/**
 * True when `X-Twilio-Signature` matches, checked by the SDK's `validateRequest` (which
 * compares in constant time and also tries the URL with and without the default port).
 */
export function verifyTwilioSignature({ authToken, url, params, signature }: TwilioSignedRequest): boolean {
  if (!authToken || !signature) return false;
  try {
    return twilio.validateRequest(authToken, signature, url, params);
  } catch {
    // The SDK falls back to `new URL(url)`, which throws on a malformed URL: that is a
    // failed check, not a server error.
    return false;
  }
}

/**
 * The URL Twilio signed: the configured public base (PUBLIC_URL, which may carry a path
 * prefix) + the request path + its query exactly as received. Behind a proxy or tunnel the
 * local request URL differs from it, and a signature over one never matches the other.
 */
export function publicWebhookUrl(publicUrl: string, path: string, query = ""): string {
  const base = publicUrl.replace(/\/+$/, "");
  const cleanPath = path.startsWith("/") ? path : `/${path}`;
  // Kept verbatim (no re-encoding): Twilio signs the characters it requested.
  const search = query === "" || query === "?" ? "" : query.startsWith("?") ? query : `?${query}`;
  return `${base}${cleanPath}${search}`;
}

/**
 * The fields of an `application/x-www-form-urlencoded` Twilio webhook body. Twilio sends
 * each name once; if a name ever repeats, the first value is kept.
 */
/**
 * The form as the gateway acts on it: like parseTwilioForm, with what PostgreSQL cannot store
 * (a `%00` in a Body) dropped. Signatures are checked on parseTwilioForm's exact values.
 */
export function readTwilioForm(rawBody: string): Record<string, string> {
  return cleanJson(parseTwilioForm(rawBody));
}

export function parseTwilioForm(rawBody: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawBody)) {
    if (!Object.hasOwn(params, name)) params[name] = value;
  }
  return params;
}

/** The form body Twilio would POST for these fields (for `handoff simulate` and tests). */
export function encodeTwilioForm(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** The `X-Twilio-Signature` Twilio would send for this URL and these fields. */
export function signTwilio(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}
