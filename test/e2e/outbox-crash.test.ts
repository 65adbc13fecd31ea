import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { businesses, outboundMessages } from "../../src/db/schema/index.ts";
import { applyBusinessConfig } from "../../src/admin/businesses.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/pg-database.ts";

// A real sender process is killed (SIGKILL) while Twilio holds its request: Twilio (a stand-in on
// 127.0.0.1) has taken the text but never answers, so the row is left `sending` with no SID.
// Another process takes the row over once the lease runs out, finds the text at Twilio, and
// records it: the owner is texted exactly once.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LEASE_MS = 1_000;
const ACCOUNT = "AC5f3c9a1e7b2d4c6e8f0a1b3c5d7e9f21";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<void>;
}
function startChild(url: string, standIn: string): Promise<Child> {
  const proc = spawn(process.execPath, ["--import", "tsx", "test/helpers/outbox-child.ts", url, standIn, String(LEASE_MS)], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => proc.on("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (chunk: Buffer) => {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      if (lines.includes("ready")) resolve({ proc, lines, exited });
    });
    proc.stderr!.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
    void exited.then(() => reject(new Error(`child exited before ready:\n${lines.join("\n")}`)));
  });
}

/** Twilio as far as the Messages API goes: creates (answered, or held open forever) and lists. */
function twilioStandIn() {
  const created: { sid: string; to: string; from: string; body: string }[] = [];
  let answer = false;
  let onCreate: () => void = () => {};
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await new Promise<string>((resolve) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => resolve(data));
    });
    const path = new URL(req.url!, "http://x").pathname;
    if (path !== `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`) return void res.writeHead(404).end();
    const json = (status: number, value: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    const resource = (m: (typeof created)[number]) => ({
      ...m, account_sid: ACCOUNT, status: "sent", direction: "outbound-api",
      date_created: new Date().toUTCString(), date_sent: new Date().toUTCString(), uri: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${m.sid}.json`,
    });
    if (req.method === "GET") return json(200, { messages: created.map(resource), next_page_uri: null, page: 0, page_size: 50 });
    const form = new URLSearchParams(body);
    const message = { sid: `SM${String(created.length + 1).padStart(32, "0")}`, to: form.get("To")!, from: form.get("From")!, body: form.get("Body")! };
    created.push(message);
    onCreate();
    // Taken, and then silence: the sender never hears back.
    if (answer) json(201, resource(message));
  });
  return {
    server,
    created,
    answerFromNowOn: () => (answer = true),
    nextCreate: () => new Promise<void>((resolve) => (onCreate = resolve)),
  };
}

describe.skipIf(!TEST_DATABASE_URL)("a sender killed mid-send", () => {
  let database: TestDatabase;
  const twilio = twilioStandIn();
  let standIn: string;
  const children: Child[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    await applyBusinessConfig(database.handle.db, demoInput(), { appliedBy: "test", now: new Date() });
    await new Promise<void>((resolve) => twilio.server.listen(0, "127.0.0.1", resolve));
    standIn = `http://127.0.0.1:${(twilio.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill("SIGKILL");
    twilio.server.closeAllConnections();
    twilio.server.close();
    await database?.drop();
  });

  it("leaves the text sending; after a restart it is recorded from Twilio, sent exactly once", async () => {
    const db = database.handle.db;
    const [business] = await db.select().from(businesses).where(eq(businesses.slug, "acme"));
    const [row] = await db
      .insert(outboundMessages)
      .values({ businessId: business!.id, memberId: "dana", to: "+15125550111", channel: "sms", body: "NEW lead 1001 STANDARD: Jane Doe. Reply ACCEPT 1001", purpose: "offer", idempotencyKey: `crash:${crypto.randomUUID()}` })
      .returning();
    const read = async () => (await db.select().from(outboundMessages).where(eq(outboundMessages.id, row!.id)))[0]!;

    const first = await startChild(database.url, standIn);
    children.push(first);
    const reached = twilio.nextCreate();
    first.proc.stdin!.write("go\n");
    await reached;
    first.proc.kill("SIGKILL");
    await first.exited;
    expect(await read()).toMatchObject({ status: "sending", providerId: null, attempts: 1 });
    expect(twilio.created).toHaveLength(1);

    twilio.answerFromNowOn();
    const second = await startChild(database.url, standIn);
    children.push(second);
    // Sweep until the dead sender's lease has run out and the row is taken over.
    for (let i = 0; i < 50 && (await read()).status === "sending"; i++) {
      second.proc.stdin!.write("go\n");
      await sleep(200);
    }
    expect(await read()).toMatchObject({ status: "sent", providerId: twilio.created[0]!.sid, attempts: 2 });
    // More sweeps change nothing.
    second.proc.stdin!.write("go\n");
    await sleep(300);
    expect(twilio.created).toHaveLength(1);
    second.proc.stdin!.end();
  }, 60_000);
});
