/**
 * The one claim → work → finish runner for inbound_events rows: the row is claimed under its
 * lease, the work says how it ended, and the row records that (or the failure, which is
 * rethrown so the caller's logs and retries see it).
 */
import type { Deps, Settings } from "./deps.ts";
import { claimInbound, finishInbound, type ClaimedInboundRow } from "./inbox.ts";

/** The row as claimed: processing, attempts counted. */
export type ClaimedInbound = ClaimedInboundRow;

/** How the work ended. `now` defaults to the clock after the work. */
export interface InboundResult {
  status: "processed" | "superseded" | "failed" | "received";
  leadId?: string | null;
  error?: string;
  now?: Date;
}

/** Runs `work` for a row this process holds, then records its result, or the failure (rethrown). */
export async function finishAfter<T extends InboundResult>(deps: Pick<Deps, "db" | "clock">, id: string, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await finishInbound(deps.db, id, { status: "failed", error: String(err instanceof Error ? err.message : err), now: deps.clock.now() });
    throw err;
  }
  await finishInbound(deps.db, id, { ...result, now: result.now ?? deps.clock.now() });
  return result;
}

/**
 * Claims the row and runs `work` with it (given the claim's time); does nothing when another
 * process holds the row or it is already done.
 */
export async function runClaimed(
  deps: Pick<Deps, "db" | "clock"> & { settings?: Pick<Settings, "inboxLeaseMs"> },
  id: string,
  work: (row: ClaimedInbound, claimedAt: Date) => Promise<InboundResult>,
): Promise<void> {
  const now = deps.clock.now();
  const row = await claimInbound(deps.db, id, now, deps.settings?.inboxLeaseMs);
  if (!row) return;
  await runOnClaimed(deps, row, now, work);
}

/**
 * Runs `work` for a row already claimed (by runClaimed, or in a batch by the worker's claim
 * loop) at `claimedAt`, then records how it ended, or the failure (rethrown).
 */
export async function runOnClaimed(
  deps: Pick<Deps, "db" | "clock">,
  row: ClaimedInbound,
  claimedAt: Date,
  work: (row: ClaimedInbound, claimedAt: Date) => Promise<InboundResult>,
): Promise<void> {
  await finishAfter(deps, row.id, () => work(row, claimedAt));
}
