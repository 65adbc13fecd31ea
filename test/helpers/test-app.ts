import { createApp } from "../../src/app.ts";
import type { DbHandle } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite.ts";
import type { Deps } from "../../src/core/deps.ts";
import { inProcessBackground } from "../../src/runtime/background.ts";
import { composeDeps } from "../../src/runtime/compose.ts";
import type { BusinessConfigInput } from "../../src/domain/business-config.ts";
import { TestClock } from "../../src/adapters/clock/clock.ts";
import { heuristicExtractor } from "../../src/adapters/extractor/heuristic/index.ts";
import { silentLogger } from "../../src/adapters/logger.ts";
import { dryRunMessaging } from "../../src/adapters/messaging/dry-run.ts";
import type { Messaging } from "../../src/adapters/messaging/messaging.ts";
import { applyBusinessConfig } from "../../src/admin/businesses.ts";
import { demoInput } from "./demo-config.ts";
import { createTestDatabase, TEST_DATABASE_URL } from "./pg-database.ts";

export const ADMIN_TOKEN = "test-admin-token";

/** The databases an integration suite runs on: PGlite always, PostgreSQL when configured. */
export const BACKENDS = [
  { name: "PGlite", kind: "pglite" as const, enabled: true },
  { name: "PostgreSQL", kind: "postgres" as const, enabled: Boolean(TEST_DATABASE_URL) },
];

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  /** PostgreSQL only: the URL of the suite's database, for more pools on it (race tests). */
  databaseUrl?: string;
  clock: TestClock;
  /** What the dry-run messaging printed. */
  printed: string[];
  /** An authenticated request; JSON in, { status, body } out. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Applies the demo business under a new slug (changed by `change` first); tests share a database, not a business. */
  newBusiness(change?: (c: BusinessConfigInput) => void): Promise<string>;
  /** Waits for everything deferred (sends, scheduling) to finish. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** A real app on a real database, with the demo business applied (changed by `business` first). */
export async function makeTestApp(
  kind: "pglite" | "postgres",
  opts: { business?: (c: BusinessConfigInput) => void; messaging?: Messaging; deps?: Partial<Deps> } = {},
): Promise<TestApp> {
  let handle: DbHandle;
  let drop = async () => {};
  let databaseUrl: string | undefined;
  if (kind === "pglite") {
    handle = await openPglite();
    await migrate(handle);
  } else {
    const database = await createTestDatabase();
    handle = database.handle;
    drop = database.drop;
    databaseUrl = database.url;
  }
  const clock = new TestClock();
  const printed: string[] = [];
  // Events on a lane of their own, as on Node (runtime/node-runtime.ts).
  const eventLane = inProcessBackground(silentLogger);
  const deps = composeDeps({
    eventLane,
    db: handle.db,
    messaging: opts.messaging ?? dryRunMessaging((line) => printed.push(line)),
    extractor: heuristicExtractor(),
    scheduler: { name: "none", schedule: async () => {}, cancel: async () => {} },
    clock,
    logger: silentLogger,
    settings: { publicUrl: "https://gateway.example.com", adminToken: ADMIN_TOKEN, secrets: {}, qstash: {} },
    background: inProcessBackground(silentLogger),
    ...opts.deps,
  });
  const config = demoInput();
  opts.business?.(config);
  await applyBusinessConfig(deps.db, config, { appliedBy: "test", now: clock.now() });
  const app = createApp(deps);
  let businesses = 0;
  return {
    app,
    deps,
    ...(databaseUrl && { databaseUrl }),
    clock,
    printed,
    async call(method, path, body) {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined && { "content-type": "application/json" }) },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async newBusiness(change) {
      const config = demoInput();
      config.slug = `acme-${++businesses}`;
      change?.(config);
      await applyBusinessConfig(deps.db, config, { appliedBy: "test", now: clock.now() });
      return config.slug;
    },
    async settle() {
      // Background work queues deliveries on the event lane; a second pass catches anything either queued meanwhile.
      for (let pass = 0; pass < 2; pass++) {
        await deps.background.drain();
        await eventLane.drain();
      }
    },
    async close() {
      await deps.background.drain();
      await eventLane.drain();
      if (kind === "pglite") await handle.close();
      await drop();
    },
  };
}

/** A complete standard lead for the demo business. */
export const completeLead = (over: Record<string, unknown> = {}) => ({
  business: "acme",
  fullName: "Jane Doe",
  phone: "+15125550123",
  serviceAddress: "12 Elm St, Austin TX 78701",
  serviceType: "plumbing",
  urgency: "standard",
  source: "website",
  summaryNotes: "Kitchen sink leaking under the cabinet",
  promisedNextStep: "Call back to book a visit",
  ...over,
});
