import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { DataDirLockedError } from "./db/data-dir-lock.ts";
import { seedFreshDataDir } from "./db/pglite-seed.ts";
import { DEV_ADMIN_TOKEN, parseEnv } from "./runtime/env.ts";
import { describeError } from "./errors.ts";
import { DEMO_TEXTS } from "./runtime/demo.ts";
import { assertIntakeSplitPossible, startNodeRuntime } from "./runtime/node-runtime.ts";
import { INSTANCE_HEADER, writeServerFile } from "./runtime/server-file.ts";

// The Node entry: read the environment, build the runtime, serve. Nothing else reads process.env.
const env = parseEnv(process.env);
let runtime;
try {
  // Built by scripts/build.mjs beside dist/node.js; from source (tsx) there is none and PGlite runs initdb.
  const template = fileURLToPath(new URL("./pgdata-template", import.meta.url));
  assertIntakeSplitPossible(env);
  if (!env.DATABASE_URL) await seedFreshDataDir(env.DATA_DIR, template, (m) => console.warn(m));
  runtime = await startNodeRuntime(env);
} catch (err) {
  if (err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(3);
  }
  // Not rethrown: Node would print the raw error, and a failed query's carries its values.
  console.error(`The gateway could not start: ${describeError(err, { stack: true })}`);
  process.exit(1);
}

// /healthz names this process, so the CLI can tell it from a stale server.json (src/runtime/server-file.ts).
const instance = randomUUID();
const fetch: typeof runtime.app.fetch = async (req, ...rest) => {
  const res = await runtime.app.fetch(req, ...rest);
  if (req.url.includes("/healthz") && new URL(req.url).pathname === "/healthz") res.headers.set(INSTANCE_HEADER, instance);
  return res;
};
let serverFile: { remove(): void } | undefined;

const server = serve({ fetch, port: env.PORT }, (info) => {
  const base = `http://localhost:${info.port}`;
  serverFile = writeServerFile(env, { url: base, instance });
  // A real token never reaches the terminal or a log collector: the sample names the variable.
  const token = env.ADMIN_TOKEN ? "$ADMIN_TOKEN" : DEV_ADMIN_TOKEN;
  console.log(`Handoff gateway listening on ${base}`);
  console.log(`  database: ${env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${env.DATA_DIR}`}`);
  console.log(`  messaging: ${runtime.deps.messaging.name}${runtime.deps.messaging.name === "dry-run" ? " (texts and calls are printed, not sent)" : ""}`);
  console.log(`  timers: ${runtime.deps.scheduler.name === "local" ? "built-in loop" : runtime.deps.scheduler.name}`);
  console.log(`  extraction: ${runtime.deps.extractor.name}`);
  if (env.INTAKE_IN_WORKERS) console.log("  intake: stored webhooks are left to `handoff worker` processes (INTAKE_IN_WORKERS=1)");
  console.log(`  API reference: ${base}/api/docs`);
  console.log(`  console: ${base}/console`);
  if (runtime.demoLoaded) {
    console.log(`  demo business "${runtime.demoLoaded.slug}" loaded from fixtures/demo-business.json`);
    if (runtime.demoLoaded.dispatcher) {
      const { name, phone } = runtime.demoLoaded.dispatcher;
      const where = runtime.deps.messaging.name === "dry-run" ? "the code is printed here as a [dry-run SMS]" : "the code comes by text";
      console.log(`  sign in to the console as the dispatcher ${name}: phone ${phone} (${where}), or as operator with the admin token`);
    }
    if (runtime.demoLoaded.onCall) console.log(`  on call now: ${runtime.demoLoaded.onCall} (${base}/api/businesses/${runtime.demoLoaded.slug}/on-call)`);
  }
  if (!env.ADMIN_TOKEN) console.warn(`  ADMIN_TOKEN is not set: the API accepts the development token "${DEV_ADMIN_TOKEN}". Set one before exposing this server.`);
  console.log(`\nCreate a lead:\n  curl -s -X POST ${base}/api/leads -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" \\
    -d '{"business":"acme","fullName":"Jane Doe","phone":"+15125550123","serviceAddress":"12 Elm St, Austin TX","serviceType":"plumbing","urgency":"standard","source":"website","summaryNotes":"Kitchen sink leaking under the cabinet","promisedNextStep":"Call back to book a visit"}'\n`);
  if (runtime.demoLoaded) console.log(`Then take it from ACCEPT to DONE by text (docs/twilio.md):\n${DEMO_TEXTS.map((l) => `  ${l}`).join("\n")}\n`);
});

const shutdown = async () => {
  serverFile?.remove();
  server.close();
  await runtime.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
