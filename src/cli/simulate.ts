import { readFileSync } from "node:fs";
import demoBusiness from "../../fixtures/demo-business.json" with { type: "json" };
import { DEV_ADMIN_TOKEN, type Env } from "../env.ts";
import { signBland } from "../providers/bland.ts";
import { signIntake } from "../providers/intake.ts";
import { signRetell } from "../providers/retell.ts";
import { encodeTwilioForm, publicWebhookUrl, signTwilio } from "../providers/twilio.ts";
import { signVapi } from "../providers/vapi.ts";
import { callApi } from "./api-client.ts";

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
  print?: (line: string) => void;
  printError?: (line: string) => void;
}

type Signer = (rawBody: string, secret: string, now?: Date) => Promise<Record<string, string>>;

/** The AI-intake providers: how each signs, and where its secret comes from when not given. */
const AI_PROVIDERS: Record<string, { sign: Signer; env: keyof Env; demo: keyof typeof demoBusiness.secrets }> = {
  vapi: { sign: signVapi, env: "VAPI_SECRET", demo: "vapi" },
  retell: { sign: signRetell, env: "RETELL_API_KEY", demo: "retell" },
  bland: { sign: signBland, env: "BLAND_WEBHOOK_SECRET", demo: "bland" },
  intake: { sign: signIntake, env: "INTAKE_SECRET", demo: "intake" },
};

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

  let request: { path: string; headers: Record<string, string>; body: string };
  try {
    if (provider in AI_PROVIDERS) request = await aiRequest(provider, raw, input);
    else if (provider === "twilio" || provider.startsWith("twilio-")) request = await twilioRequest(provider, raw, base, input);
    else throw new Error(`unknown provider "${provider}".\n${USAGE}`);
  } catch (err) {
    printError(`simulate: ${(err as Error).message}`);
    return 2;
  }

  const res = await fetch(`${base}${request.path}`, { method: "POST", headers: request.headers, body: request.body });
  print(`${res.status} ${res.statusText} POST ${request.path}`);
  const text = await res.text();
  if (text) print(text);
  return res.ok ? 0 : 1;
}

/** A Vapi, Retell, Bland or generic-intake webhook: the file's bytes as they are, signed. */
async function aiRequest(provider: string, raw: string, input: SimulateInput) {
  const { sign, env, demo } = AI_PROVIDERS[provider]!;
  const secret = input.secret ?? (input.env[env] as string | undefined) ?? demoBusiness.secrets[demo];
  const headers = await sign(raw, secret, new Date());
  return { path: `/webhooks/${input.business}/${provider}`, headers: { "content-type": "application/json", ...headers }, body: raw };
}

/** A Twilio webhook: the fixture's fields form-encoded, signed for the URL Twilio would request. */
async function twilioRequest(provider: string, raw: string, base: string, input: SimulateInput) {
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("a Twilio fixture is a JSON object of form fields");
  const params = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  const hook = provider === "twilio" ? guessHook(params) : (provider.slice("twilio-".length) as TwilioHook);
  if (!TWILIO_HOOKS.includes(hook)) throw new Error(`unknown Twilio webhook "${provider}".\n${USAGE}`);

  const query = hook === "gather" ? `?${input.query ?? (await latestOfferQuery(base, input))}` : "";
  const path = `/webhooks/${input.business}/twilio/${hook}`;
  // Twilio signs the public URL it calls; a server with PUBLIC_URL checks against that one.
  const signedUrl = publicWebhookUrl(input.env.PUBLIC_URL ?? base, path, query);
  const token = input.secret ?? demoBusiness.secrets.twilioAuthToken;
  return {
    path: `${path}${query}`,
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signTwilio(token, signedUrl, params) },
    body: encodeTwilioForm(params),
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
  const token = input.env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN;
  const { messages } = (await callApi(base, token, "GET", `/api/messages?business=${encodeURIComponent(input.business)}&limit=200`)) as {
    messages: { leadId: string | null; memberId: string | null; channel: string; purpose: string }[];
  };
  const offers = messages.filter((m) => m.leadId && m.memberId && (m.purpose === "offer" || m.purpose === "escalation"));
  const offer = offers.find((m) => m.channel === "voice") ?? offers[0];
  if (!offer) throw new Error(`no offer in ${input.business} to answer yet; simulate a lead first`);
  return new URLSearchParams({ lead: offer.leadId!, member: offer.memberId! }).toString();
}
