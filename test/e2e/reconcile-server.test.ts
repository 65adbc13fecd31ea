import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signVapi } from "../../src/adapters/inbound/vapi.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { startGateway, type GatewayProcess, apiCaller } from "../helpers/gateway-process.ts";
import { sleep, waitFor } from "../helpers/wait-for.ts";
import { vapiCall, vapiWebhook } from "../helpers/provider-apis.ts";
import { DEMO_SECRETS } from "../helpers/sign-fixture.ts";

// The real server (`tsx src/node.ts`, its own process, the built-in timer loop on PGlite) with
// `reconcile.vapi.baseUrl` pointing at a small fake of Vapi's API on a local port: a call whose
// webhook never came is found and made a lead within one reconciliation interval.
const TOKEN = "reconcile-e2e-token";
const VAPI_KEY = "e2e-vapi-key";
const EVERY_MS = 2_000;
/** Polled every 50 ms: how soon a run recovers a call is what the test reads. */
const waitSoon = <T,>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string) => waitFor(probe, timeoutMs, what, 50);

/** Vapi's GET /call and GET /phone-number/:id over HTTP, as the msw fake answers them. */
async function fakeVapiServer(): Promise<{ url: string; calls: Record<string, any>[]; lists: number; hangMs: number; waiting: number; server: Server }> {
  const state = { calls: [] as Record<string, any>[], lists: 0, hangMs: 0, waiting: 0 };
  const server = createServer(async (req, res) => {
    if (state.hangMs) {
      state.waiting++;
      await sleep(state.hangMs);
      state.waiting--;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${VAPI_KEY}`) return json(401, { message: "Unauthorized" });
    if (url.pathname === "/call") {
      state.lists++;
      const ge = url.searchParams.get("createdAtGe");
      const lt = url.searchParams.get("createdAtLt");
      const limit = Number(url.searchParams.get("limit") ?? 100);
      return json(
        200,
        state.calls
          .filter((c) => (!ge || c.createdAt >= ge) && (!lt || c.createdAt < lt))
          .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
          .slice(0, limit),
      );
    }
    if (url.pathname.startsWith("/phone-number/")) return json(200, { id: url.pathname.split("/")[2], number: "+15125550100" });
    json(404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, server });
}

describe("reconciliation in a running gateway", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    // Last in, first out: the gateway goes before the fake it calls and the directory it uses.
    for (const clean of cleanups.splice(0).reverse()) clean();
  });

  it("a Vapi call whose webhook never came becomes a lead within one 2-second interval, and its late webhook changes nothing", async () => {
    const vapi = await fakeVapiServer();
    cleanups.push(() => vapi.server.close());
    const dir = mkdtempSync(join(tmpdir(), "handoff-reconcile-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // The loop on PGlite, and no provider keys from the surrounding environment.
    const gateway: GatewayProcess = startGateway({
      DATA_DIR: dir,
      ADMIN_TOKEN: TOKEN,
      DATABASE_URL: "",
      QSTASH_TOKEN: "",
      TWILIO_ACCOUNT_SID: "",
      VAPI_API_KEY: "",
      RETELL_API_KEY: "",
      BLAND_API_KEY: "",
    });
    cleanups.push(() => gateway.child.exitCode === null && gateway.child.kill("SIGKILL"));
    const base = await gateway.ready;
    const call = apiCaller(base, TOKEN);

    const config = demoInput();
    config.reconcile = { vapi: { apiKey: VAPI_KEY, baseUrl: vapi.url }, every: `${EVERY_MS / 1000}s`, lookBack: "1h" };
    expect((await call("PUT", "/api/businesses/acme", config)).status).toBe(200);
    // Turning it on starts a run at once; it finds nothing yet.
    await waitSoon(async () => vapi.lists > 0, 10_000, "the first run");
    const runsBefore = vapi.lists;

    // A call ends and its end-of-call report is lost (Vapi sends it once, without retries).
    const missed = vapiCall("e2e-missed-call", new Date(Date.now() - 60_000), { customer: { number: "+15125550186" } });
    vapi.calls.push(missed);
    const addedAt = Date.now();
    const lead = await waitSoon(
      async () => (await call("GET", "/api/leads?business=acme")).body.leads.find((l: any) => l.externalId === "e2e-missed-call"),
      EVERY_MS * 4,
      "the recovered lead",
    );
    const elapsed = Date.now() - addedAt;
    console.log(`recovered a missed Vapi call ${elapsed} ms after it was listable (interval ${EVERY_MS} ms)`);
    // Within one interval, and the processing after it (slack for a loaded machine).
    expect(elapsed).toBeLessThan(EVERY_MS + 2_000);
    expect(vapi.lists).toBeGreaterThan(runsBefore);
    expect(lead).toMatchObject({ channel: "vapi", phone: "+15125550186", state: "offered" });
    const { body: full } = await call("GET", `/api/leads/${lead.id}`);
    expect(full.events.filter((e: any) => e.type === "recovered")).toMatchObject([{ detail: { provider: "vapi", by: "reconciliation" } }]);
    const { body: status } = await call("GET", "/api/reconciliation?business=acme");
    expect(status.vapi).toMatchObject({ enabled: true, errors: 0, totals: { recovered: 1 } });

    // The webhook arrives after all: a duplicate, and still one lead.
    const body = vapiWebhook(missed);
    const late = await fetch(`${base}/webhooks/acme/vapi`, { method: "POST", body, headers: await signVapi(body, DEMO_SECRETS.vapi) });
    expect(await late.json()).toMatchObject({ ok: true, duplicate: true });
    expect((await call("GET", "/api/leads?business=acme")).body.leads.filter((l: any) => l.phone === "+15125550186")).toHaveLength(1);

    // Vapi's API hangs: runs wait on it, webhooks do not.
    vapi.hangMs = 8_000;
    await waitSoon(async () => vapi.waiting > 0, EVERY_MS * 3, "a run waiting on Vapi");
    const other = vapiWebhook(vapiCall("e2e-pushed-call", new Date(), { customer: { number: "+15125550185" } }));
    const sentAt = Date.now();
    const pushed = await fetch(`${base}/webhooks/acme/vapi`, { method: "POST", body: other, headers: await signVapi(other, DEMO_SECRETS.vapi) });
    const answeredIn = Date.now() - sentAt;
    expect(pushed.status).toBe(200);
    console.log(`a webhook was answered in ${answeredIn} ms while a reconciliation run waited on a hanging Vapi API`);
    expect(answeredIn).toBeLessThan(1_000);
    vapi.hangMs = 0;
  }, 60_000);
});
