import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startGateway, type GatewayProcess } from "../helpers/gateway-process.ts";
import { fixture, signedHeaders } from "../helpers/sign-fixture.ts";

const TOKEN = "crash-test-token";

describe("a webhook acknowledged just before the process dies", () => {
  const dir = mkdtempSync(join(tmpdir(), "handoff-crash-"));
  const processes: GatewayProcess[] = [];
  let llm: Server;
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    llm?.closeAllConnections();
    llm?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is processed on restart: one lead, one owner text", async () => {
    // An OpenAI-compatible server that takes the request and never answers: the gateway has
    // answered the webhook and is mid-extraction when it is killed.
    let extractionStarted!: () => void;
    const started = new Promise<void>((resolve) => (extractionStarted = resolve));
    llm = createServer(() => extractionStarted());
    await new Promise<void>((resolve) => llm.listen(0, "127.0.0.1", resolve));
    const llmUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;

    const first = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: "", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: llmUrl });
    processes.push(first);
    const base = await first.ready;
    const body = fixture("vapi/complete-call");
    const res = await fetch(`${base}/webhooks/acme/vapi`, { method: "POST", body, headers: await signedHeaders("vapi", body, new Date()) });
    expect(res.status).toBe(200);
    await started;
    first.child.kill("SIGKILL");
    await first.exited;

    const second = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: "" });
    processes.push(second);
    const base2 = await second.ready;
    const auth = { authorization: `Bearer ${TOKEN}` };
    let leads: { id: string; state: string; fullName: string }[] = [];
    for (let i = 0; i < 40 && leads.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      leads = ((await (await fetch(`${base2}/api/leads`, { headers: auth })).json()) as { leads: typeof leads }).leads;
    }
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ state: "offered", fullName: "Maria Gonzalez" });

    // The provider redelivers after the crash: still one lead and one offer.
    const again = await fetch(`${base2}/webhooks/acme/vapi`, { method: "POST", body, headers: await signedHeaders("vapi", body, new Date()) });
    expect(((await again.json()) as { duplicate?: boolean }).duplicate).toBe(true);
    const messages = (await (await fetch(`${base2}/api/messages?lead=${leads[0]!.id}`, { headers: auth })).json()) as { messages: { purpose: string }[] };
    expect(messages.messages.filter((m) => m.purpose === "offer")).toHaveLength(1);
  }, 90_000);
});
