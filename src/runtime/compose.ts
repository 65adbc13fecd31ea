import type { Background, Deps, EventOutbox, Outbox, Reconciler } from "../core/deps.ts";
import { deliverEvents } from "../events/deliver-event.ts";
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
 * Outbound event deliveries after commit, on `lane`: on Node a runner of their own, so attempts
 * waiting on a slow receiver never take the slots texts and extraction run in; on Workers the
 * request's waitUntil. What the lane drops the sweep retries.
 */
export function eventRunner(deps: Deps, lane: Background, keepGoing: () => boolean = () => true): EventOutbox {
  // A receiver that never answers holds each attempt 15 s; past this many batches waiting, new
  // ones are left to the sweep (the rows are due and durable), so the queue stays bounded.
  let waiting = 0;
  return {
    deliver(ids) {
      if (waiting >= MAX_WAITING_BATCHES) return;
      waiting++;
      lane.defer("deliver events", async () => {
        try {
          await deliverEvents(deps, ids, keepGoing);
        } finally {
          waiting--;
        }
      });
    },
  };
}

/** Batches of after-commit deliveries that may wait on the event lane at once. */
const MAX_WAITING_BATCHES = 200;

/**
 * Completes the deps an entry point (or a test) built with what needs the deps themselves: the
 * outbox runner, the event runner (on `eventLane`, by default `background`) and the reconciler,
 * unless given. Later changes to the returned object (node-runtime sets the scheduler once its
 * loop runs) are seen by the runners.
 */
export function composeDeps(
  parts: Omit<Deps, "outbox" | "events" | "reconcile"> & {
    outbox?: Outbox;
    events?: EventOutbox;
    reconcile?: Reconciler;
    eventLane?: Background;
    eventsKeepGoing?: () => boolean;
  },
): Deps {
  const { eventLane, eventsKeepGoing, ...rest } = parts;
  const deps = { ...rest } as Deps;
  deps.outbox = parts.outbox ?? outboxRunner(deps);
  deps.events = parts.events ?? eventRunner(deps, eventLane ?? parts.background, eventsKeepGoing);
  deps.reconcile = parts.reconcile ?? reconcileRunner(deps);
  return deps;
}
