import type { Deps } from "../core/deps.ts";
import { processCustomerText } from "./customer-sms.ts";
import { pendingInbound } from "../core/inbox.ts";
import { AI_PARSERS, processInbound } from "./process-intake.ts";

/** What finishes a stored webhook after the 2xx, by provider. QStash deliveries fire inline. */
const PROCESSORS: Record<string, (deps: Deps, id: string) => Promise<void>> = {
  ...Object.fromEntries(Object.keys(AI_PARSERS).map((provider) => [provider, processInbound])),
  twilio: processCustomerText,
};

/** The providers this process sweeps: with intake left to workers, only Twilio's customer texts. */
function sweptProviders(deps: Deps): string[] {
  return deps.settings.leaveIntakeToWorkers ? ["twilio"] : Object.keys(PROCESSORS);
}

/**
 * Finishes every stored webhook left unprocessed (a crash after the 2xx, a failed extraction),
 * one at a time; each is retried on a later sweep if it fails. Run by the Node loop (server and
 * `handoff worker`) and the Workers cron. Beside a claim loop (`untriedClaimed`, the worker) it
 * leaves never-tried intake rows to that loop and takes only retries and abandoned rows.
 */
export async function sweepInbox(deps: Deps, opts: { untriedClaimed?: boolean } = {}): Promise<number> {
  const untried = opts.untriedClaimed ? Object.keys(AI_PARSERS) : [];
  const pending = await pendingInbound(deps.db, deps.clock.now(), sweptProviders(deps), deps.settings.inboxLeaseMs, untried);
  for (const { id, provider } of pending) {
    await PROCESSORS[provider]!(deps, id).catch((err) =>
      deps.logger.warn("inbound processing failed; will retry", { id, provider, error: String(err) }),
    );
  }
  return pending.length;
}
