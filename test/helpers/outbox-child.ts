/**
 * A separate process that sends the outbox through the real Twilio adapter, for the crash test:
 *   tsx test/helpers/outbox-child.ts <database url> <twilio stand-in base url> <leaseMs>
 * Requests for api.twilio.com go to the stand-in instead (the vendor's edge, over real HTTP).
 * Prints "ready"; each "go" line runs one outbox sweep and prints "swept <n>".
 */
import { createInterface } from "node:readline";
import { connectPostgres } from "../../src/db/postgres.ts";
import { inProcessBackground } from "../../src/runtime/background.ts";
import { composeDeps } from "../../src/runtime/compose.ts";
import { systemClock } from "../../src/adapters/clock/clock.ts";
import { heuristicExtractor } from "../../src/adapters/extractor/heuristic/index.ts";
import { consoleLogger } from "../../src/adapters/logger.ts";
import { twilioMessaging } from "../../src/adapters/messaging/twilio.ts";
import { sweepOutbox } from "../../src/messaging/outbox-sweep.ts";

const [url, standIn, lease = "1000"] = process.argv.slice(2);
if (!url || !standIn) throw new Error("usage: outbox-child.ts <database url> <twilio stand-in url> [leaseMs]");

const realFetch = globalThis.fetch;
globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
  const target = new URL(input instanceof Request ? input.url : String(input));
  if (target.hostname !== "api.twilio.com") return realFetch(input, init);
  return realFetch(`${standIn}${target.pathname}${target.search}`, init);
};

const handle = connectPostgres(url, { max: 2 });
const logger = consoleLogger();
const deps = composeDeps({
  db: handle.db,
  messaging: twilioMessaging({ accountSid: "AC5f3c9a1e7b2d4c6e8f0a1b3c5d7e9f21", authToken: "9f2c4b7e1a0d3c5e8f6a2b4d7c9e1f03", useFetch: true, maxRetries: 0, logger }),
  extractor: heuristicExtractor(),
  scheduler: { name: "none", schedule: async () => {}, cancel: async () => {} },
  clock: systemClock,
  logger,
  settings: { publicUrl: null, adminToken: "unused", secrets: {}, qstash: {} },
  background: inProcessBackground(logger),
});

const input = createInterface({ input: process.stdin });
input.on("line", async (line) => {
  if (line.trim() !== "go") return;
  const n = await sweepOutbox(deps, 0, Number(lease));
  process.stdout.write(`swept ${n}\n`);
});
input.on("close", async () => {
  await handle.close();
});
process.stdout.write("ready\n");
