import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, test } from "vitest";
import { createApp } from "../../src/app.ts";
import type { DbHandle } from "../../src/db/client.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { connectPostgres } from "../../src/db/postgres.ts";
import { HEALTH_DB_TIMEOUT_MS } from "../../src/http/health.ts";
import { fixture, signedHeaders } from "../helpers/sign-fixture.ts";
import { TEST_DATABASE_URL } from "../helpers/pg-database.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";

describeOnBackends("/healthz on $name", ({ kind }) => {
  const t = useTestApp(kind);

  test("reports the database up when it answers a query", async () => {
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: "up" });
  });

  test("reports the database down (503) when it cannot query", async () => {
    const closed: DbHandle = kind === "pglite" ? await openPglite() : connectPostgres(TEST_DATABASE_URL!, { max: 1 });
    await closed.close();
    const res = await createApp({ ...t.deps, db: closed.db }).request("/healthz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, db: "down" });
  });
});

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL out of reach", () => {
  const t = useTestApp("postgres");
  const handles: DbHandle[] = [];
  afterAll(async () => {
    for (const h of handles) await h.close();
  });
  /** The gateway's app on another database, as an entry would build it. */
  const appOn = (url: string, max = 2) => {
    const handle = connectPostgres(url, { max });
    handles.push(handle);
    return { app: createApp({ ...t.deps, db: handle.db }), handle };
  };
  const elsewhere = (change: (u: URL) => void) => {
    // The table below is built when the file is collected, also when this suite is skipped.
    const url = new URL(TEST_DATABASE_URL ?? "postgres://unset");
    change(url);
    return url.toString();
  };

  it.each([
    ["the database does not exist (dropped, not yet recreated)", elsewhere((u) => (u.pathname = "/handoff_t_never_created"))],
    ["nothing listens on the port", elsewhere((u) => (u.port = "1"))],
  ])("%s: webhooks and the API get 503 with the error shape, /healthz says down", async (_, url) => {
    const { app } = appOn(url);
    const body = fixture("vapi/complete-call");
    const webhook = await app.request("/webhooks/acme/vapi", { method: "POST", body, headers: await signedHeaders("vapi", body, t.clock.now()) });
    expect(webhook.status).toBe(503);
    expect(webhook.headers.get("retry-after")).toBe("5");
    expect(await webhook.json()).toEqual({
      error: { code: "unavailable", message: expect.stringMatching(/database is unavailable/), requestId: webhook.headers.get("x-request-id") },
    });
    const api = await app.request("/api/leads", { headers: { authorization: `Bearer ${t.deps.settings.adminToken}` } });
    expect(api.status).toBe(503);
    const health = await app.request("/healthz");
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, db: "down" });
  });

  it("a database that holds every connection and never answers is down, not slow", async () => {
    const { app, handle } = appOn(TEST_DATABASE_URL!, 1);
    // The pool's only connection is busy for longer than /healthz waits.
    const busy = handle.db.execute(sql`select pg_sleep(${(HEALTH_DB_TIMEOUT_MS * 2) / 1000})`).then(() => {}); // drizzle runs it on then
    const health = await app.request("/healthz");
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, db: "down" });
    await busy;
    expect((await app.request("/healthz")).status).toBe(200);
  });
});
