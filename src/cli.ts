import { readFileSync } from "node:fs";
import { parseArgs, option } from "./cli/args.ts";
import { callApi } from "./cli/api-client.ts";
import { leadsTable } from "./cli/leads-table.ts";
import { DataDirLockedError } from "./db/data-dir-lock.ts";
import { DEV_ADMIN_TOKEN, parseEnv } from "./env.ts";
import { AppError } from "./errors.ts";
import { openDatabase } from "./node-runtime.ts";
import { applyBusinessConfig } from "./services/businesses.ts";
import { listLeads } from "./services/queries.ts";

const USAGE = `handoff <command>

  migrate                         bring the database schema up to date
  apply <business.json> [--url]   validate and apply a business config (a new version)
  leads [--business slug] [--state s] [--limit n] [--url]
                                  a table of recent leads
  simulate <provider> <payload.json> [--business slug] [--url] [--secret s]
                                  sign a fixture as the provider would and post it to a server
                                  (vapi, retell, bland, intake, twilio, twilio-sms, twilio-voice,
                                  twilio-dial-status, twilio-status, twilio-gather, twilio-voicemail)

Without --url, commands open the database of DATABASE_URL (or the embedded one in DATA_DIR).
With --url (e.g. http://localhost:8787) they use that server's API with ADMIN_TOKEN.`;

const env = parseEnv(process.env);
const { positional, options } = parseArgs(process.argv.slice(2));
const [command, ...rest] = positional;
const url = option(options, "url");
const token = env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN;

/** Runs `work` on the configured database, released afterwards. */
async function withDatabase<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>["handle"]["db"]) => Promise<T>): Promise<T> {
  const { handle, unlock } = await openDatabase(env);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
    await unlock();
  }
}

async function main(): Promise<number> {
  switch (command) {
    case "migrate":
      await withDatabase(async () => {});
      console.log("Database is up to date.");
      return 0;
    case "apply": {
      const file = rest[0];
      if (!file) throw new Error("usage: handoff apply <business.json>");
      const config: unknown = JSON.parse(readFileSync(file, "utf8"));
      const slug = (config as { slug?: unknown }).slug;
      const result = url
        ? ((await callApi(url, token, "PUT", `/api/businesses/${String(slug)}`, config)) as { slug: string; version: number; changed: boolean })
        : await withDatabase(async (db) => {
            const r = await applyBusinessConfig(db, config, { appliedBy: "cli", now: new Date() });
            return { slug: r.business.slug, version: r.business.version, changed: r.changed };
          });
      console.log(result.changed ? `Applied ${result.slug}: version ${result.version}.` : `${result.slug} is unchanged (version ${result.version}).`);
      return 0;
    }
    case "leads": {
      const filter = { business: option(options, "business"), state: option(options, "state"), limit: Number(option(options, "limit", "20")) };
      const leads = url
        ? ((await callApi(url, token, "GET", `/api/leads?${new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][])}`)) as { leads: Parameters<typeof leadsTable>[0] }).leads
        : await withDatabase((db) => listLeads(db, filter));
      console.log(leadsTable(leads));
      return 0;
    }
    case "simulate": {
      const { simulate } = await import("./cli/simulate.ts");
      return simulate({
        provider: rest[0],
        file: rest[1],
        business: option(options, "business", "acme")!,
        url: url ?? `http://localhost:${env.PORT}`,
        secret: option(options, "secret"),
        query: option(options, "query"),
        env,
      });
    }
    default:
      console.log(USAGE);
      return command && command !== "help" ? 2 : 0;
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof DataDirLockedError) {
    console.error(`${err.message}\nWhile a server holds it, pass --url http://localhost:${env.PORT} to go through its API.`);
  } else if (err instanceof AppError) {
    console.error(err.message);
    if (Array.isArray(err.details)) for (const d of err.details as { path: string; message: string }[]) console.error(`  ${d.path}: ${d.message}`);
  } else {
    console.error(err instanceof Error ? err.message : String(err));
  }
  process.exitCode = 1;
}
