import type { Deps, Outbox, Reconciler } from "../core/deps.ts";
import { afterDelivery } from "../handoff/undelivered-offer.ts";
import { deliverMessage } from "../messaging/deliver-message.ts";
import { reconcileRunner } from "../reconcile/run.ts";

/**
 * The outbox as the composition root wires it: each row is sent (messaging), then what the send
 * came to is handed to the handoff (an undelivered offer's next channel, or an escalation). The
 * sender reports; the caller decides what follows.
 */
export function outboxRunner(deps: Deps): Outbox {
  return {
    async deliver(ids, opts) {
      for (const id of ids) {
        const outcome = await deliverMessage(deps, id, opts?.leaseMs);
        await afterDelivery(deps, id, outcome);
      }
    },
  };
}

/**
 * Completes the deps an entry point (or a test) built with what needs the deps themselves: the
 * outbox runner and the reconciler, unless given. Later changes to the returned object (node-runtime sets
 * the scheduler once its loop runs) are seen by the runner.
 */
export function composeDeps(parts: Omit<Deps, "outbox" | "reconcile"> & { outbox?: Outbox; reconcile?: Reconciler }): Deps {
  const deps = { ...parts } as Deps;
  deps.outbox = parts.outbox ?? outboxRunner(deps);
  deps.reconcile = parts.reconcile ?? reconcileRunner(deps);
  return deps;
}
