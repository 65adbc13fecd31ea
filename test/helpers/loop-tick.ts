import { silentLogger } from "../../src/adapters/logger.ts";
import { runDueOnce } from "../../src/core/timer-store.ts";
import { fireTimer } from "../../src/escalation/fire-timer.ts";
import { sweepOutbox } from "../../src/messaging/outbox-sweep.ts";
import type { TestApp } from "./test-app.ts";

/** The Node loop's wake-up at `iso` by the test clock: due timers fire, then the outbox sends what is due. */
export async function tick(t: TestApp, iso: string): Promise<void> {
  t.clock.set(iso);
  await runDueOnce({ db: t.deps.db, clock: t.clock, logger: silentLogger, fire: async (timer) => void (await fireTimer(t.deps, timer)) });
  await t.settle();
  await sweepOutbox(t.deps);
  await t.settle();
}
