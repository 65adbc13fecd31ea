import { readFileSync } from "node:fs";
import { parseArgs, option } from "./cli/args.ts";
import type { Backend } from "./cli/backend.ts";
import { DEV_ADMIN_TOKEN, parseEnv } from "./runtime/env.ts";
import { isLeadState, STATES } from "./domain/lead.ts";
import { httpErrorOf } from "./http/error-response.ts";

// The heavy modules (database drivers, services) are imported only by the commands that need
// them: asking a running server loads little, which is most of what makes a command fast.

const USAGE = `handoff <command>

  migrate                         bring the database schema up to date
  apply <business.json>           validate and apply a business config (a new version)
  leads [--business slug] [--state s] [--limit n]
                                  a table of recent leads
  show <lead>                     a lead's fields, timeline and messages; <lead> is acme:1042 or its id
  simulate <provider> <payload.json> [--business slug] [--secret s]
                                  sign a fixture as the provider would, post it to the server and
                                  print the lead it made (vapi, retell, bland, intake, twilio,
                                  twilio-sms, twilio-voice, twilio-dial-status, twilio-status,
                                  twilio-gather, twilio-voicemail)
  worker                          process stored intake webhooks, timers and sends beside the
                                  server, on its PostgreSQL (DATABASE_URL; docs/workers.md);
                                  runs until SIGTERM or SIGINT

apply, leads, show and simulate ask the running gateway of this DATA_DIR (or DATABASE_URL) when
there is one (npm start leaves DATA_DIR/server.json), else they open the database themselves.
--url http://host:port names a server instead; its API takes ADMIN_TOKEN. migrate always opens
the database.`;

const env = parseEnv(process.env);
const { positional, options } = parseArgs(process.argv.slice(2));
const [command, ...rest] = positional;
const url = option(options, "url");
const token = env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN;

// `handoff leads | head -1`: the reader is gone, so stop quietly as Unix tools do, status 0.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
}

/** The server to ask: --url, else the running gateway of this database, else none. */
async function serverUrl(): Promise<string | null> {
  if (url) return url;
  const { findServer } = await import("./cli/find-server.ts");
  return findServer(env);
}

/** Runs `work` against the server when one answers, else against the database, closed afterwards. */
async function withBackend<T>(work: (backend: Backend) => Promise<T>): Promise<T> {
  const { apiBackend } = await import("./cli/backend.ts");
  const server = await serverUrl();
  const backend = server ? apiBackend(server, token) : await openOrAsk(apiBackend);
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}

/** The database; or, when a server took it meanwhile (it was starting), that server. */
async function openOrAsk(apiBackend: (url: string, token: string) => Backend): Promise<Backend> {
  const { DataDirLockedError } = await import("./db/data-dir-lock.ts");
  try {
    return await (await import("./cli/db-backend.ts")).databaseBackend(env);
  } catch (err) {
    const server = err instanceof DataDirLockedError ? await serverUrl() : null;
    if (!server) throw err;
    return apiBackend(server, token);
  }
}

async function main(): Promise<number> {
  switch (command) {
    case "migrate": {
      const { openDatabase } = await import("./runtime/node-runtime.ts");
      const { handle, unlock } = await openDatabase(env);
      await handle.close();
      await unlock();
      console.log("Database is up to date.");
      return 0;
    }
    case "apply": {
      const file = rest[0];
      if (!file) throw new Error("usage: handoff apply <business.json>");
      const config: unknown = JSON.parse(readFileSync(file, "utf8"));
      const result = await withBackend((b) => b.apply(config));
      console.log(result.changed ? `Applied ${result.slug}: version ${result.version}.` : `${result.slug} is unchanged (version ${result.version}).`);
      return 0;
    }
    case "leads": {
      const limit = Number(option(options, "limit", "20"));
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new Error("usage: handoff leads [--limit n]: n is a whole number from 1 to 500");
      const state = option(options, "state");
      if (state !== undefined && !isLeadState(state)) throw new Error(`usage: handoff leads [--state s]: s is one of ${STATES.join(", ")}`);
      const filter = { business: option(options, "business"), state, limit };
      const leads = await withBackend((b) => b.leads(filter));
      const { leadsTable } = await import("./cli/leads-table.ts");
      console.log(leadsTable(leads));
      return 0;
    }
    case "show": {
      const ref = rest[0];
      if (!ref) throw new Error("usage: handoff show <lead>   (acme:1042 or the lead's id)");
      const view = await withBackend(async (b) => {
        const lead = await b.lead(ref);
        const [messages, timezone] = await Promise.all([b.messages(lead.id), b.timezone(lead.business)]);
        return (await import("./cli/lead-view.ts")).leadView(lead, messages, timezone);
      });
      console.log(view);
      return 0;
    }
    case "simulate": {
      const { simulate } = await import("./cli/simulate.ts");
      const server = await serverUrl();
      const business = option(options, "business", "acme")!;
      // The business's own secrets are read only from PostgreSQL shared with the server: never
      // behind --url (another deployment), and an embedded database is locked by its server.
      const databaseUrl = url ? undefined : env.DATABASE_URL;
      return simulate({
        provider: rest[0],
        file: rest[1],
        business,
        url: server ?? `http://localhost:${env.PORT}`,
        secret: option(options, "secret"),
        query: option(options, "query"),
        env,
        localSecrets: databaseUrl ? async () => (await import("./cli/db-backend.ts")).businessSecrets(databaseUrl, business) : undefined,
      });
    }
    case "worker": {
      const { startWorkerRuntime } = await import("./runtime/worker-runtime.ts");
      const worker = await startWorkerRuntime(env);
      // SIGTERM or SIGINT: stop claiming, finish what is in flight, close, exit 0. A second one
      // does not wait: what was in flight is taken over by another process after the lease.
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once("SIGTERM", resolve);
        process.once("SIGINT", resolve);
      });
      const force = () => {
        console.error("handoff worker: second signal, exiting without waiting; rows in flight are taken over after the lease");
        process.exit(1);
      };
      process.once("SIGTERM", force);
      process.once("SIGINT", force);
      console.log(`info handoff worker: ${signal}, finishing the rows in flight`);
      const { finished } = await worker.stop();
      console.log(`info handoff worker stopped: ${finished} stored webhooks processed`);
      return 0;
    }
    default:
      console.log(USAGE);
      return command && command !== "help" ? 2 : 0;
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  const { DataDirLockedError } = await import("./db/data-dir-lock.ts");
  if (err instanceof DataDirLockedError) {
    console.error(`${err.message}\nNo Handoff server answered for ${env.DATA_DIR}; pass --url http://localhost:${env.PORT} to go through a server's API.`);
  } else if (httpErrorOf(err)) {
    // An answer, not a crash (an AppError or a domain error): its message and each problem by path.
    const { message, details } = httpErrorOf(err)!;
    console.error(message);
    if (Array.isArray(details)) for (const d of details as { path: string; message: string }[]) console.error(`  ${d.path}: ${d.message}`);
  } else {
    console.error(err instanceof Error ? err.message : String(err));
  }
  process.exitCode = 1;
}
