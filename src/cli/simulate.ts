import { readFileSync } from "node:fs";
import { DEV_ADMIN_TOKEN, type Env } from "../runtime/env.ts";
import { signBland } from "../adapters/inbound/bland.ts";
import { signIntake } from "../adapters/inbound/intake.ts";
import { signRetell } from "../adapters/inbound/retell.ts";
import { encodeTwilioForm, publicWebhookUrl, signTwilio } from "../adapters/inbound/twilio.ts";
import { signVapi } from "../adapters/inbound/vapi.ts";
import type { ParseResult } from "../adapters/inbound/parse-result.ts";
import { parseBland } from "../adapters/inbound/bland.ts";
import { parseIntake } from "../adapters/inbound/intake.ts";
import { parseRetell } from "../adapters/inbound/retell.ts";
import { parseVapi } from "../adapters/inbound/vapi.ts";
import { callApi } from "./api-client.ts";
import { printLead } from "./simulate-lead.ts";
import { SECRET_LABEL, secretFor, type SecretName } from "./simulate-secret.ts";

/** What `handoff simulate` is given; `secret`, `query` and the printers are optional. */
export interface SimulateInput {
  provider?: string;
  file?: string;
  business: string;
  /** The running gateway, e.g. http://localhost:8787. */
  url: string;
  env: Env;
  /** Overrides the secret or auth token the request is signed with. */
  secret?: string;
  /** The query of a gather request (`lead=<id>&member=<id>`); found from the latest offer when absent. */
  query?: string;
  /**
   * The business's own secrets from a database this command can open (undefined when it cannot:
   * a server holds it, or the server is another deployment); the API masks them.
   */
  localSecrets?: () => Promise<Partial<Record<SecretName, string>> | undefined>;
  /** How long to wait for the server to make the lead before saying it has not yet (default 5 s). */
  waitForLeadMs?: number;
  print?: (line: string) => void;
  printError?: (line: string) => void;
}

type Signer = (rawBody: string, secret: string, now?: Date) => Promise<Record<string, string>>;

/** The AI-intake providers: how each signs and reads a payload, and which secret it uses. */
const AI_PROVIDERS: Record<string, { sign: Signer; parse: (raw: string) => ParseResult; env: keyof Env; secret: SecretName }> = {
  vapi: { sign: signVapi, parse: parseVapi, env: "VAPI_SECRET", secret: "vapi" },
  retell: { sign: signRetell, parse: parseRetell, env: "RETELL_API_KEY", secret: "retell" },
  bland: { sign: signBland, parse: parseBland, env: "BLAND_WEBHOOK_SECRET", secret: "bland" },
  intake: { sign: signIntake, parse: parseIntake, env: "INTAKE_SECRET", secret: "intake" },
};
/** A Twilio-signed request's secret, as the server picks it (CONTRACT §2: the business's, else the env's). */
const TWILIO_SECRET = { env: "TWILIO_AUTH_TOKEN" as const, secret: "twilioAuthToken" as const };

const TWILIO_HOOKS = ["sms", "voice", "dial-status", "status", "gather", "voicemail"] as const;
type TwilioHook = (typeof TWILIO_HOOKS)[number];

const USAGE = `usage: handoff simulate <provider> <payload.json> [--business slug] [--url base]
  providers: ${Object.keys(AI_PROVIDERS).join(", ")}, ${TWILIO_HOOKS.map((h) => `twilio-${h}`).join(", ")}, twilio (hook guessed from the fields)`;

/**
 * Signs a fixture the way its provider would and posts it to a running gateway, then prints the
 * status and the response body. Exit code: 0 for a 2xx, 1 for any other answer, 2 for bad usage.
 */
export async function simulate(input: SimulateInput): Promise<number> {
  const print = input.print ?? ((line: string) => console.log(line));
  const printError = input.printError ?? ((line: string) => console.error(line));
  const { provider, file } = input;
  if (!provider || !file) {
    printError(USAGE);
    return 2;
  }
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (err) {
    printError(`simulate: cannot read ${file}: ${(err as Error).message}`);
    return 2;
  }
  const base = input.url.replace(/\/+$/, "");

  let request: SignedRequest;
  try {
    const uses = provider in AI_PROVIDERS ? AI_PROVIDERS[provider]! : TWILIO_SECRET;
    const secret = await secretFor(uses, input.business, input);
    if (provider in AI_PROVIDERS) request = await aiRequest(provider, raw, secret, input);
    else if (provider === "twilio" || provider.startsWith("twilio-")) request = await twilioRequest(provider, raw, base, secret, input);
    else throw new Error(`unknown provider "${provider}".\n${USAGE}`);
  } catch (err) {
    printError(`simulate: ${(err as Error).message}`);
    return 2;
  }

  const posted = Date.now();
  let res: Response;
  try {
    res = await fetch(`${base}${request.path}`, { method: "POST", headers: request.headers, body: request.body });
  } catch (err) {
    printError(`simulate: no server answers at ${base} (${(err as Error).cause ?? (err as Error).message}): start one with npm start, or pass --url`);
    return 1;
  }
  print(`${res.status} ${res.statusText} POST ${request.path}`);
  const text = await res.text();
  if (text) print(text);
  if (res.status === 401 || res.status === 403) {
    const twilio = !(provider in AI_PROVIDERS);
    printError(
      `simulate: the server refused the signature: pass --secret <${input.business}'s ${SECRET_LABEL[twilio ? "twilioAuthToken" : AI_PROVIDERS[provider]!.secret]}>` +
        (twilio ? " (and set PUBLIC_URL as the server has it)" : ""),
    );
  }
  if (!res.ok) return 1;
  if (request.externalId) await printLead({ base, business: input.business, externalId: request.externalId, since: posted, waitMs: input.waitForLeadMs ?? 5_000, token: adminToken(input), print });
  return 0;
}

interface SignedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The provider's id of the call or text that makes or updates a lead; absent for the other webhooks. */
  externalId?: string;
}

/** A Vapi, Retell, Bland or generic-intake webhook: the file's bytes as they are, signed. */
async function aiRequest(provider: string, raw: string, secret: string, input: SimulateInput): Promise<SignedRequest> {
  const { sign, parse } = AI_PROVIDERS[provider]!;
  const headers = await sign(raw, secret, new Date());
  let externalId: string | undefined;
  try {
    const parsed = parse(raw);
    if (parsed.kind === "lead") externalId = parsed.event.externalId;
  } catch {
    // The server names what is wrong with the payload; there is no lead to look for.
  }
  return { path: `/webhooks/${input.business}/${provider}`, headers: { "content-type": "application/json", ...headers }, body: raw, externalId };
}

/** A Twilio webhook: the fixture's fields form-encoded, signed for the URL Twilio would request. */
async function twilioRequest(provider: string, raw: string, base: string, token: string, input: SimulateInput): Promise<SignedRequest> {
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("a Twilio fixture is a JSON object of form fields");
  const params = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  const hook = provider === "twilio" ? guessHook(params) : (provider.slice("twilio-".length) as TwilioHook);
  if (!TWILIO_HOOKS.includes(hook)) throw new Error(`unknown Twilio webhook "${provider}".\n${USAGE}`);

  const query = hook === "gather" ? `?${input.query ?? (await latestOfferQuery(base, input))}` : "";
  const path = `/webhooks/${input.business}/twilio/${hook}`;
  // Twilio signs the public URL it calls; a server with PUBLIC_URL checks against that one.
  const signedUrl = publicWebhookUrl(input.env.PUBLIC_URL ?? base, path, query);
  return {
    path: `${path}${query}`,
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signTwilio(token, signedUrl, params) },
    body: encodeTwilioForm(params),
    externalId: await twilioLeadId(hook, params, base, input),
  };
}

/** Which webhook a fixture belongs to, from the fields only that webhook carries. */
function guessHook(params: Record<string, string>): TwilioHook {
  if (params.DialCallStatus) return "dial-status";
  // A <Record> action also posts Digits ("hangup", "#"), so the recording is checked first.
  if (params.RecordingUrl) return "voicemail";
  if (params.Digits !== undefined) return "gather";
  if (params.MessageStatus) return "status";
  if (params.Body !== undefined) return "sms";
  if (params.CallSid) return params.Direction?.startsWith("outbound") && params.CallStatus !== "ringing" ? "status" : "voice";
  throw new Error("cannot tell which Twilio webhook this fixture is for; name it, e.g. twilio-sms");
}

/**
 * The query an escalation call's keypad would post to: the most recent offer call of the
 * business, else its most recent offer of any kind (through the admin API, with ADMIN_TOKEN).
 */
async function latestOfferQuery(base: string, input: SimulateInput): Promise<string> {
  const { messages } = (await callApi(base, adminToken(input), "GET", `/api/messages?business=${encodeURIComponent(input.business)}&limit=200`)) as {
    messages: { leadId: string | null; memberId: string | null; channel: string; purpose: string }[];
  };
  const offers = messages.filter((m) => m.leadId && m.memberId && (m.purpose === "offer" || m.purpose === "escalation"));
  const offer = offers.find((m) => m.channel === "voice") ?? offers[0];
  if (!offer) throw new Error(`no offer in ${input.business} to answer yet; simulate a lead first`);
  return new URLSearchParams({ lead: offer.leadId!, member: offer.memberId! }).toString();
}

const adminToken = (input: SimulateInput) => input.env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN;

/** Dial results that make a missed-call lead (CONTRACT §4). */
const MISSED = ["no-answer", "busy", "failed", "canceled"];

/**
 * The id under which a Twilio webhook makes or updates a lead: a missed call's CallSid, a
 * customer's text's MessageSid. A team member's command or a STOP makes none.
 */
async function twilioLeadId(hook: TwilioHook, params: Record<string, string>, base: string, input: SimulateInput): Promise<string | undefined> {
  if (hook === "dial-status") return MISSED.includes(params.DialCallStatus ?? "") ? params.CallSid : undefined;
  if (hook !== "sms" || params.OptOutType || !params.MessageSid) return undefined;
  try {
    const { config } = (await callApi(base, adminToken(input), "GET", `/api/businesses/${encodeURIComponent(input.business)}`)) as { config: { team: { phone: string }[] } };
    return config.team.some((m) => m.phone === params.From) ? undefined : params.MessageSid;
  } catch {
    return undefined; // Not readable (another token): the lead is simply not printed.
  }
}
