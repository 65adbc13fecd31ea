import type { AskCallWith } from "../../domain/ask-customer-config.ts";
import { apiUrl, asRecord, ProviderApiError, requestJson, str, type ProviderApi } from "../reconcile/provider-api.ts";

/**
 * Starts an AI agent's outbound call to a caller (CONTRACT §15 `askCustomer.callWith`) through
 * the provider's create-call API: Vapi `POST /call`, Retell `POST /v2/create-phone-call`. Plain
 * fetch rather than @vapi-ai/server-sdk or retell-sdk, as reconciliation does: one POST each
 * does not need a generated client, and the Worker bundle stays small.
 */

/** Who to call and what the agent should know; variables reach its prompt as {{name}}. */
export interface OutboundCall {
  to: string;
  variables: Record<string, string>;
}

/** The provider's id of the call it started: its end-of-call webhook carries the same id. */
export interface StartedCall {
  provider: "vapi" | "retell";
  callId: string;
}

/** Where the provider's API is and the key it takes. */
export interface CallApiAccess {
  apiKey: string;
  baseUrl: string;
  fetch?: typeof fetch;
}

/** Places the call; throws ProviderApiError when the provider refuses it or cannot be reached. */
export async function startOutboundCall(callWith: AskCallWith, access: CallApiAccess, call: OutboundCall): Promise<StartedCall> {
  if ("vapi" in callWith) {
    const api: ProviderApi = { provider: "vapi", baseUrl: access.baseUrl, headers: { authorization: `Bearer ${access.apiKey}` }, fetch: access.fetch, timeoutMs: 10_000 };
    const body = await requestJson(api, "POST", apiUrl(api, "/call"), {
      assistantId: callWith.vapi.assistantId,
      phoneNumberId: callWith.vapi.phoneNumberId,
      customer: { number: call.to },
      assistantOverrides: { variableValues: call.variables },
    });
    return { provider: "vapi", callId: idOf(api, asRecord(body).id) };
  }
  const api: ProviderApi = { provider: "retell", baseUrl: access.baseUrl, headers: { authorization: `Bearer ${access.apiKey}` }, fetch: access.fetch, timeoutMs: 10_000 };
  const body = await requestJson(api, "POST", apiUrl(api, "/v2/create-phone-call"), {
    from_number: callWith.retell.fromNumber,
    to_number: call.to,
    override_agent_id: callWith.retell.agentId,
    retell_llm_dynamic_variables: call.variables,
  });
  return { provider: "retell", callId: idOf(api, asRecord(body).call_id) };
}

function idOf(api: ProviderApi, value: unknown): string {
  const id = str(value);
  if (!id) throw new ProviderApiError(api.provider, `${api.provider} API answered the create-call request without a call id`, 200, false);
  return id;
}
