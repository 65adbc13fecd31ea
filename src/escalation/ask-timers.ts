import { eq } from "drizzle-orm";
import type { Deps } from "../core/deps.ts";
import { lockLeadIfExists } from "../core/lead-lock.ts";
import { fieldsOf, type BusinessRow, type LeadRow } from "../core/records.ts";
import type { TimerRow } from "../core/timer-store.ts";
import { recordEvent, transact, type Work } from "../core/transact.ts";
import { customerAsks } from "../db/schema/index.ts";
import { startOutboundCall, type StartedCall } from "../adapters/outbound-call/create-call.ts";
import { askSettings, isAskable } from "../domain/ask-customer.ts";
import type { AskCallWith } from "../domain/ask-customer-config.ts";
import { humanField } from "../domain/copy/offer.ts";
import { missingFields } from "../domain/lead.ts";
import { DEFAULT_API_BASE } from "../domain/reconcile-config.ts";
import { askCallTimer, askWaitTimer, type AskPayload } from "../domain/timers/index.ts";
import { askOf, endAsk, sendQuestion, type AskRow } from "../routing/ask-customer.ts";
import { noteIncomplete } from "../routing/incomplete.ts";
import { onTimerLead, skip, type FireOutcome } from "./fire-outcome.ts";
import type { TimerKindModule } from "./timer-kind-module.ts";

/**
 * `askCustomer.waitFor` has passed since the first question (CONTRACT §15): a record the caller
 * did not complete goes to intake, as an incomplete lead always did. The question stays open: a
 * late answer still fills its field (and may complete the lead before intake gets to it).
 * Nothing when the lead left intake or intake was told already (quiet hours, STOP, no fit).
 */
export async function expireAsk(deps: Deps, timer: TimerRow, payload: AskPayload): Promise<FireOutcome> {
  return onTimerLead(deps, timer, async (work, lead, business) => {
    const ask = await askOf(work, lead.id);
    if (!ask || ask.id !== payload.askId) return skip("no such ask on the lead");
    if (ask.status !== "open") return skip(`the ask is closed (${ask.closedReason ?? "closed"})`);
    if (lead.state !== "intake") return skip(`lead is ${lead.state}`);
    if (ask.intakeToldAt) return skip("intake was told already");
    await work.tx.update(customerAsks).set({ intakeToldAt: work.now, updatedAt: work.now }).where(eq(customerAsks.id, ask.id));
    const wait = askSettings(business.config).waitFor;
    await noteIncomplete(work, business, lead, missingFields(fieldsOf(lead)), `no answer within ${wait}`);
    return { acted: true, reason: "intake told" };
  });
}

/** The `ask-wait` kind. */
export const askWaitKind: TimerKindModule<"ask-wait"> = { ...askWaitTimer, fire: expireAsk };

/** A claimed call older than this was lost with its process: another firing may place it. */
const CALL_CLAIM_MS = 2 * 60_000;

/**
 * Places the AI callback of `askCustomer.callWith`. The provider API call is made outside any
 * transaction: a first one claims the ask (so a duplicate firing does not place a second call),
 * a second one stores the call id its end-of-call webhook is matched by and records `asked`.
 * A call the provider refuses, or a business with no key for it, falls back to a text question.
 */
export async function placeAskCall(deps: Deps, timer: TimerRow, payload: AskPayload): Promise<FireOutcome> {
  const holder: { claimed?: { lead: LeadRow; business: BusinessRow; ask: AskRow; callWith: AskCallWith } } = {};
  const first = await onTimerLead(deps, timer, async (work, lead, business) => {
    const ask = await askOf(work, lead.id);
    if (!ask || ask.id !== payload.askId) return skip("no such ask on the lead");
    if (ask.status !== "open" || lead.state !== "intake") return skip("the ask is over");
    if (ask.channel !== "voice" || ask.callId) return skip("the call was placed already");
    if (ask.callClaimedAt && work.now.getTime() - ask.callClaimedAt.getTime() < CALL_CLAIM_MS) return skip("another firing is placing the call");
    const callWith = askSettings(business.config).callWith;
    if (!callWith) return skip("callWith was turned off");
    await work.tx.update(customerAsks).set({ callClaimedAt: work.now, updatedAt: work.now }).where(eq(customerAsks.id, ask.id));
    holder.claimed = { lead, business, ask, callWith };
    return { acted: true, reason: "claimed" };
  });
  if (!holder.claimed) return first;
  const { lead, business, ask, callWith } = holder.claimed;

  const provider = "vapi" in callWith ? "vapi" : "retell";
  const own = business.config.reconcile?.[provider];
  const apiKey = own?.apiKey ?? deps.settings.reconcile?.apiKeys[provider];
  let started: StartedCall | null = null;
  let failure: string | null = null;
  if (!apiKey) failure = `no ${provider} API key (reconcile.${provider}.apiKey or ${provider.toUpperCase()}_API_KEY)`;
  else {
    try {
      started = await startOutboundCall(callWith, { apiKey, baseUrl: own?.baseUrl ?? DEFAULT_API_BASE[provider] }, { to: ask.phone, variables: callVariables(business, lead, ask) });
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
  }
  return transact(deps, async (work) => {
    const found = await lockLeadIfExists(work, lead.id);
    const now = found ? await askOf(work, lead.id) : null;
    if (!found || !now || now.status !== "open" || found.lead.state !== "intake") return skip("the ask ended while the call was placed");
    if (started) {
      await work.tx.update(customerAsks).set({ callProvider: started.provider, callId: started.callId, updatedAt: work.now }).where(eq(customerAsks.id, now.id));
      await recordEvent(work, lead.id, "asked", "system", { field: now.field, fields: now.askedFields, channel: "voice", provider: started.provider, callId: started.callId });
      return { acted: true, reason: `${started.provider} call ${started.callId} placed` };
    }
    deps.logger.warn("ask callback not placed; texting the question instead", { leadId: lead.id, provider, error: failure });
    await textInstead(work, found.business, found.lead, now, failure!);
    return { acted: true, reason: `call not placed (${failure}); texted instead` };
  });
}

/** The `ask-call` kind. */
export const askCallKind: TimerKindModule<"ask-call"> = { ...askCallTimer, fire: placeAskCall };

/** What the agent is told: who calls, about what, and which fields to collect ({{missingFields}}). */
function callVariables(business: BusinessRow, lead: LeadRow, ask: AskRow): Record<string, string> {
  return {
    businessName: business.config.name,
    customerName: lead.fullName ?? "",
    problem: lead.serviceType ?? lead.summaryNotes ?? "",
    leadCode: String(lead.code),
    missingFields: ask.askedFields.map(humanField).join(", "),
  };
}

/** The callback could not be placed: the first field is asked by text instead. */
async function textInstead(work: Work, business: BusinessRow, lead: LeadRow, ask: AskRow, failure: string): Promise<void> {
  const field = ask.askedFields.find(isAskable);
  if (!field) return endAsk(work, business, lead, ask, missingFields(fieldsOf(lead)), `the callback failed: ${failure}`);
  await work.tx
    .update(customerAsks)
    .set({ channel: "sms", field, askedFields: [field], callClaimedAt: null, updatedAt: work.now })
    .where(eq(customerAsks.id, ask.id));
  // The wait set when the call was decided stands: one window for the whole ask.
  await sendQuestion(work, business, lead, ask.phone, field, false, null);
}
