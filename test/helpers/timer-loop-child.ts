/**
 * A separate process running one timer loop, for the multi-process test:
 *   tsx test/helpers/timer-loop-child.ts <database url> <name> [fireDelayMs] [maxBatch]
 * Prints "ready", starts its loop on a "go" line, prints "fired <name> <timerId>" per firing,
 * and stops cleanly when stdin closes. Its own stdin keeps it alive (the loop's timers do not).
 */
import { createInterface } from "node:readline";
import { connectPostgres } from "../../src/db/postgres.ts";
import { systemClock } from "../../src/adapters/clock/clock.ts";
import { consoleLogger } from "../../src/adapters/logger.ts";
import { startTimerLoop, type TimerLoop } from "../../src/core/timer-loop.ts";

const [url, name = "child", fireDelay = "5", batch = "5"] = process.argv.slice(2);
if (!url) throw new Error("usage: timer-loop-child.ts <database url> <name> [fireDelayMs] [maxBatch]");

const handle = connectPostgres(url, { max: 3 });
let loop: TimerLoop | null = null;

const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  if (line.trim() !== "go" || loop) return;
  loop = startTimerLoop({
    db: handle.db,
    clock: systemClock,
    logger: consoleLogger(),
    maxBatch: Number(batch),
    async fire(timer) {
      await new Promise((resolve) => setTimeout(resolve, Number(fireDelay)));
      process.stdout.write(`fired ${name} ${timer.id}\n`);
    },
  });
});
input.on("close", async () => {
  await loop?.stop();
  await handle.close();
  process.stdout.write("stopped\n");
});

process.stdout.write("ready\n");
