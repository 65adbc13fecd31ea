import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { unstable_startWorker } from "wrangler";
import demoBusiness from "../../fixtures/demo-business.json" with { type: "json" };
import { migrate } from "../../src/db/migrate.ts";
import { connectPostgres } from "../../src/db/postgres.ts";
import { applyBusinessConfig } from "../../src/admin/businesses.ts";

/** The repository root, where wrangler.toml lives. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A throwaway PostgreSQL database on TEST_DATABASE_URL's server, migrated, with the demo business. */
export interface WorkerDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates `handoff_w_<random>`, migrates it from Node (the Worker never migrates) and applies
 * fixtures/demo-business.json, the way an operator prepares a database before `wrangler deploy`.
 */
export async function createWorkerDatabase(serverUrl: string): Promise<WorkerDatabase> {
  const name = `handoff_w_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = () => postgres(serverUrl, { max: 1, onnotice: () => {} });
  const run = async (statement: string) => {
    const sql = admin();
    try {
      await sql.unsafe(statement);
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // FORCE (PostgreSQL 13+) ends connections a killed worker left behind instead of failing.
  const drop = () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);

  const handle = connectPostgres(url.toString(), { max: 1 });
  try {
    await migrate(handle);
    await applyBusinessConfig(handle.db, demoBusiness, { appliedBy: "test", now: new Date() });
  } catch (err) {
    await handle.close();
    await drop();
    throw err;
  } finally {
    await handle.close();
  }
  return { url: url.toString(), drop };
}

/** A worker running src/worker.ts in workerd (through wrangler), reachable over real HTTP. */
export interface RunningWorker {
  /** Its local URL (wrangler's dev proxy in front of the Worker), for clients other than fetch. */
  url: URL;
  /** fetch against the worker: `path` is resolved on its local URL. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

/**
 * Starts the Worker the way `wrangler dev` does (same wrangler.toml, bundler and workerd) on a free
 * local port, with `vars` as its bindings. No inspector, no file watching, nothing persisted.
 */
export async function startWorkerd(vars: Record<string, string>): Promise<RunningWorker> {
  const bindings = Object.fromEntries(
    Object.entries(vars).map(([name, value]) => [name, { type: "plain_text" as const, value }]),
  );
  const worker = await unstable_startWorker({
    config: `${ROOT}/wrangler.toml`,
    bindings,
    sendMetrics: false,
    // `wrangler dev` derives this from compatibility_flags; the programmatic API leaves it unset,
    // which bundles without the nodejs_compat polyfills (and warns about every node: import).
    build: { nodejsCompatMode: "v2" },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      logLevel: "warn",
    },
  });
  try {
    await worker.ready;
    const base = await worker.url;
    return {
      url: base,
      fetch: (path, init) => fetch(new URL(path, base), init),
      dispose: () => worker.dispose(),
    };
  } catch (err) {
    await worker.dispose();
    throw err;
  }
}
