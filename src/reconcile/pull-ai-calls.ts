import { blandApi, blandCallNumbers, blandCallOver, getBlandCall, listBlandCalls } from "../adapters/reconcile/bland-calls.ts";
import { str } from "../adapters/reconcile/provider-api.ts";
import {
  getRetellCall,
  listRetellCalls,
  retellApi,
  retellCallAnalyzed,
  retellCallNumbers,
  retellCallOver,
  retellWebhookBody,
} from "../adapters/reconcile/retell-calls.ts";
import { listVapiCalls, vapiApi, vapiCallEnded, vapiCallNumbers, vapiEndOfCallReport, vapiPhoneNumber } from "../adapters/reconcile/vapi-calls.ts";
import { recordInbound } from "../core/inbox.ts";
import type { ReconcileApiProvider } from "../domain/reconcile-config.ts";
import { AI_PARSERS, ANALYSIS_GRACE_MS, processInbound } from "../intake/process-intake.ts";
import { belongsTo } from "./plan.ts";
import { knownKeys, pulledHeaders, type PullContext } from "./pull-context.ts";

/**
 * Hands a call the provider listed to the webhook's own path: the body its webhook would have
 * carried, read by the same parser, stored in the inbox under the same key (so whichever of the
 * two arrives first wins and the other changes nothing), processed by the same verb after (in
 * a `handoff worker` when intake is left to workers).
 * True when this run stored it: no webhook had.
 */
async function ingest(ctx: PullContext, provider: ReconcileApiProvider, rawBody: string): Promise<boolean> {
  const { deps, business } = ctx;
  let parsed;
  try {
    parsed = AI_PARSERS[provider]!(rawBody);
  } catch (err) {
    deps.logger.warn("reconciliation: a listed call could not be read; skipped", { business: business.slug, provider, error: String(err) });
    return false;
  }
  if (parsed.kind === "ignored") return false;
  const id = await recordInbound(deps.db, {
    businessId: business.id,
    provider,
    idempotencyKey: parsed.idempotencyKey,
    rawBody,
    headers: pulledHeaders(provider),
    origin: "reconciliation",
    now: deps.clock.now(),
  });
  if (!id) return false;
  ctx.counts.recovered++;
  if (!deps.settings.leaveIntakeToWorkers) deps.background.defer(`process ${parsed.idempotencyKey}`, () => processInbound(deps, id));
  return true;
}

/** Vapi: its calls created since, each ended one as the end-of-call report it would have sent. */
export async function pullVapi(ctx: PullContext): Promise<void> {
  const api = vapiApi(ctx.plan.api!.apiKey, ctx.plan.api!.baseUrl, ctx.fetch);
  const calls = await ctx.call(() => listVapiCalls(api, ctx.since));
  // The list names a call's Vapi number by id; its number is looked up once per run.
  const numbers = new Map<string, string | null>();
  const numbersOf = async (call: Record<string, unknown>) => {
    const listed = vapiCallNumbers(call);
    const id = str(call.phoneNumberId);
    if (!ctx.plan.numbers || !id) return listed;
    if (!numbers.has(id)) numbers.set(id, await ctx.call(() => vapiPhoneNumber(api, id)));
    const number = numbers.get(id);
    return number ? [...listed, number] : listed;
  };
  const ended = calls.filter(vapiCallEnded);
  const known = await knownKeys(ctx, ended.map((c) => `vapi:${String(c.id)}`));
  for (const call of ended) {
    if (!belongsTo(ctx.plan, await numbersOf(call))) continue;
    ctx.counts.seen++;
    if (known.has(`vapi:${String(call.id)}`)) continue;
    await ingest(ctx, "vapi", vapiEndOfCallReport(call));
  }
}

/**
 * Retell: its calls started since; each one over is fetched whole (the list leaves out the
 * transcript) unless its `call_analyzed` is in already. Analyzed, it goes in as `call_analyzed`;
 * not analyzed ANALYSIS_GRACE_MS after it ended (none will follow), as `call_ended`; otherwise it
 * waits for the next run, as the webhook path waits for the analysis.
 */
export async function pullRetell(ctx: PullContext): Promise<void> {
  const api = retellApi(ctx.plan.api!.apiKey, ctx.plan.api!.baseUrl, ctx.fetch);
  const listed = (await ctx.call(() => listRetellCalls(api, ctx.since))).filter((c) => retellCallOver(c) && belongsTo(ctx.plan, retellCallNumbers(c)));
  ctx.counts.seen += listed.length;
  const ids = listed.map((c) => String(c.call_id));
  const known = await knownKeys(ctx, ids.flatMap((id) => [`retell:${id}:call_analyzed`, `retell:${id}:call_ended`]));
  for (const id of ids) {
    if (known.has(`retell:${id}:call_analyzed`)) continue;
    const call = await ctx.call(() => getRetellCall(api, id));
    if (retellCallAnalyzed(call)) {
      await ingest(ctx, "retell", retellWebhookBody("call_analyzed", call));
      continue;
    }
    const endedAt = typeof call.end_timestamp === "number" ? call.end_timestamp : null;
    const analysisDue = endedAt !== null && ctx.now.getTime() - endedAt < ANALYSIS_GRACE_MS;
    if (!analysisDue && !known.has(`retell:${id}:call_ended`)) await ingest(ctx, "retell", retellWebhookBody("call_ended", call));
  }
}

/** Bland: its calls created since; each finished one not yet in is fetched whole (the post-call webhook's body). */
export async function pullBland(ctx: PullContext): Promise<void> {
  const api = blandApi(ctx.plan.api!.apiKey, ctx.plan.api!.baseUrl, ctx.fetch);
  const listed = (await ctx.call(() => listBlandCalls(api, ctx.since))).filter((c) => blandCallOver(c) && belongsTo(ctx.plan, blandCallNumbers(c)));
  ctx.counts.seen += listed.length;
  const ids = listed.map((c) => String(c.call_id));
  const known = await knownKeys(ctx, ids.map((id) => `bland:${id}`));
  for (const id of ids) {
    if (known.has(`bland:${id}`)) continue;
    const call = await ctx.call(() => getBlandCall(api, id));
    await ingest(ctx, "bland", JSON.stringify(call));
  }
}
