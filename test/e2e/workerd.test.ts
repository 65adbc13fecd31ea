import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/worker.ts";
import { createWorkerDatabase, startWorkerd, type RunningWorker, type WorkerDatabase } from "../helpers/workerd.ts";

// The Workers entry end to end: src/worker.ts bundled by wrangler and run in workerd, talking to a
// real PostgreSQL over workerd's sockets, the way it runs on Cloudflare (minus Hyperdrive).
// Workers have no embedded database, so without a PostgreSQL server (TEST_DATABASE_URL) there is
// nothing for the worker to talk to and the suite is skipped.
const serverUrl = process.env.TEST_DATABASE_URL || undefined;
const ADMIN_TOKEN = `workerd-test-${crypto.randomUUID()}`;
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe.skipIf(!serverUrl)("the gateway on workerd", () => {
  let database: WorkerDatabase | undefined;
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    database = await createWorkerDatabase(serverUrl!);
    worker = await startWorkerd({ DATABASE_URL: database.url, ADMIN_TOKEN });
  }, 60_000);

  afterAll(async () => {
    await worker?.dispose();
    await database?.drop();
  }, 30_000);

  it("answers the health check, having queried the database (the mended driver's Workers build)", async () => {
    const res = await worker!.fetch("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: "up" });
  });

  it("refuses the API without the admin token and serves it with the token", async () => {
    const refused = await worker!.fetch("/api/leads");
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "unauthorized" } });

    const wrong = await worker!.fetch("/api/leads", { headers: { Authorization: "Bearer handoff-dev-token" } });
    expect(wrong.status).toBe(401);

    const ok = await worker!.fetch("/api/leads", { headers: auth });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ leads: expect.any(Array) });
  });

  it("serves the OpenAPI document and its reference page without a token, the page's script as a static asset", async () => {
    const doc = await worker!.fetch("/api/openapi.json");
    expect(doc.status).toBe(200);
    expect(await doc.json()).toMatchObject({ openapi: "3.1.0", paths: { "/api/leads": expect.any(Object) } });
    const page = await worker!.fetch("/api/docs");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src="/api/docs/scalar.js"');
    // Served by the assets beside the Worker (wrangler.toml [assets]), not from the Worker's bundle.
    const script = await worker!.fetch("/api/docs/scalar.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
  });

  it("offers a complete lead to one owner and queues the offer text, sent after the response", async () => {
    const created = await worker!.fetch("/api/leads", {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({
        business: "acme",
        fullName: "Jane Doe",
        phone: "+15125550123",
        serviceAddress: "12 Elm St, Austin TX",
        serviceType: "plumbing",
        urgency: "standard",
        source: "website",
        summaryNotes: "Kitchen sink leaking under the cabinet",
        promisedNextStep: "Call back to book a visit",
      }),
    });
    expect(created.status).toBe(201);
    const lead = (await created.json()) as { id: string; state: string; ownerId: string | null };
    expect(lead.state).toBe("offered");
    expect(lead.ownerId).toBe("dana");

    // The send runs in ctx.waitUntil after the response, on the request's own connection; it
    // finishing (dry-run status) shows the connection is closed only after the deferred work.
    type Message = { to: string; channel: string; purpose: string; status: string; body: string };
    let offer: Message | undefined;
    for (let i = 0; i < 50; i++) {
      const res = await worker!.fetch(`/api/messages?lead=${lead.id}`, { headers: auth });
      expect(res.status).toBe(200);
      const { messages } = (await res.json()) as { messages: Message[] };
      offer = messages.find((m) => m.purpose === "offer");
      if (offer?.status === "dry-run") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(offer).toMatchObject({ to: "+15125550111", channel: "sms", status: "dry-run" });
    expect(offer!.body).toContain("Jane Doe");
  });

  it("serves the console: sign-in page with its CSP, htmx as a static asset, the operator's session, the board and a lead", async () => {
    const signIn = await worker!.fetch("/console");
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await signIn.text();
    expect(html).toContain('src="/console/assets/htmx.min.js"');
    const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(html)![1]!;
    const preCookie = signIn.headers.getSetCookie().find((c) => c.startsWith("handoff_sign_in="))!.split(";")[0]!;

    const htmx = await worker!.fetch("/console/assets/htmx.min.js");
    expect(htmx.status).toBe(200);
    expect(await htmx.text()).toContain("htmx");
    expect((await worker!.fetch("/console/assets/console.css")).headers.get("content-type")).toMatch(/text\/css/);

    const form = (fields: Record<string, string>) => ({
      method: "POST",
      redirect: "manual" as const,
      headers: { cookie: preCookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    // A team member's code is queued by SMS (dry-run on Workers too) and masked in the outbox listing.
    const code = await worker!.fetch("/console/sign-in/code", form({ phone: "+15125550111" }));
    expect(code.status).toBe(200);
    let signInText: { body: string; status: string } | undefined;
    for (let i = 0; i < 50 && signInText?.status !== "dry-run"; i++) {
      const { messages } = (await (await worker!.fetch("/api/messages?business=acme", { headers: auth })).json()) as { messages: { purpose: string; body: string; status: string }[] };
      signInText = messages.find((m) => m.purpose === "sign-in");
      if (signInText?.status !== "dry-run") await new Promise((r) => setTimeout(r, 100));
    }
    expect(signInText?.status).toBe("dry-run");
    expect(signInText!.body).toMatch(/^\*{6} is your /);

    const operator = await worker!.fetch("/console/sign-in/operator", form({ token: ADMIN_TOKEN }));
    expect(operator.status).toBe(303);
    const session = operator.headers.getSetCookie().find((c) => c.startsWith("handoff_session="))!.split(";")[0]!;
    const board = await worker!.fetch("/console/board", { headers: { cookie: session } });
    expect(board.status).toBe(200);
    const boardHtml = await board.text();
    expect(boardHtml).toContain("Jane Doe");
    expect(boardHtml).toContain('hx-trigger="every 3s"');
    const lead = await worker!.fetch("/console/leads/acme:1001", { headers: { cookie: session } });
    expect(lead.status).toBe(200);
    expect(await lead.text()).toContain("Lead #1001");
  });
});

// The entry's own decisions, run in Node: no workerd or database needed (postgres.js connects
// lazily, and these requests are answered before any query).
describe("the Workers entry", () => {
  const call = async (path: string, bindings: Record<string, unknown>, init?: RequestInit) => {
    const pending: Promise<unknown>[] = [];
    const res = await worker.fetch(new Request(`http://gateway.test${path}`, init), bindings, {
      waitUntil: (p) => void pending.push(p),
    });
    await Promise.all(pending);
    return res;
  };
  const unreachableDb = { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" };

  it("refuses every /api call when ADMIN_TOKEN is unset, the Node development token included", async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: "Bearer handoff-dev-token" }, { Authorization: "Bearer guess" }];
    for (const headers of attempts) {
      const res = await call("/api/leads", unreachableDb, { headers });
      expect(res.status).toBe(401);
    }
  });

  it("takes the database from a Hyperdrive binding over DATABASE_URL", async () => {
    const { parseWorkerEnv } = await import("../../src/runtime/worker-deps.ts");
    const env = parseWorkerEnv({ ...unreachableDb, HYPERDRIVE: { connectionString: "postgres://hd@hyperdrive.local/db" } });
    expect(env.DATABASE_URL).toBe("postgres://hd@hyperdrive.local/db");
  });

  it("answers 500 misconfigured, naming no secret, when there is no database", async () => {
    const res = await call("/healthz", { ADMIN_TOKEN: "secret" });
    expect(res.status).toBe(500);
    const requestId = res.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({
      error: { code: "misconfigured", message: "The gateway is misconfigured; see the Worker's logs.", requestId },
    });
    const traced = await call("/healthz", { ADMIN_TOKEN: "secret" }, { headers: { "x-request-id": "edge-7" } });
    expect(traced.headers.get("x-request-id")).toBe("edge-7");
    expect(((await traced.json()) as { error: { requestId: string } }).error.requestId).toBe("edge-7");
  });
});
