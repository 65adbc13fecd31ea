import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoInput } from "../helpers/demo-config.ts";
import { startGateway, type GatewayProcess, apiCaller } from "../helpers/gateway-process.ts";
import { sleep, waitFor } from "../helpers/wait-for.ts";
import { completeLead } from "../helpers/test-app.ts";

// The real server (`tsx src/node.ts`) on a fresh embedded database, with the built-in timer loop
// (no QStash), a business whose windows are seconds long, and nothing but HTTP to drive it.
const TOKEN = "timers-e2e-token";
const OMAR = "+15125550112"; // the demo business's office lead: the first rung of a standard lead
describe("timers in a running gateway", () => {
  const dirs: string[] = [];
  const running: GatewayProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "handoff-timers-"));
    dirs.push(dir);
    return dir;
  };
  const start = async (dir: string) => {
    // No QStash and no PostgreSQL, whatever the surrounding environment says: the loop on PGlite.
    const gateway = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, DATABASE_URL: "", QSTASH_TOKEN: "", TWILIO_ACCOUNT_SID: "" });
    running.push(gateway);
    const base = await gateway.ready;
    const call = apiCaller(base, TOKEN);
    return { gateway, call };
  };
  /** The demo business with a standard window of `window` (and every later rung as short). */
  const secondsConfig = (window: string) => {
    const config = demoInput();
    config.escalation = {
      ...config.escalation,
      urgent: { acceptWithin: window, escalateTo: "manager", channels: ["sms", "voice"] },
      standard: { acceptWithin: window, escalateTo: "office_lead", channels: ["sms"] },
      repeat: { every: window, maxRepeats: 1 },
    };
    return config;
  };

  it("an unaccepted lead escalates for real after a 2-second window", async () => {
    const { call } = await start(freshDir());
    expect((await call("PUT", "/api/businesses/acme", secondsConfig("2s"))).status).toBe(200);

    const { status, body: lead } = await call("POST", "/api/leads", completeLead());
    expect(status).toBe(201);
    expect(lead).toMatchObject({ state: "offered", ownerId: "dana", escalationLevel: 0 });

    await sleep(3_000);
    const escalated = await waitFor(
      async () => {
        const { body } = await call("GET", `/api/leads/${lead.id}`);
        return body.escalationLevel >= 1 ? body : null;
      },
      2_000,
      "the first escalation",
    );
    expect(escalated.offeredTo).toContain("omar");
    const { body } = await call("GET", `/api/messages?lead=${lead.id}`);
    const toOmar = body.messages.filter((m: any) => m.purpose === "escalation" && m.to === OMAR);
    expect(toOmar).toHaveLength(1);
    expect(toOmar[0]).toMatchObject({ channel: "sms", status: "dry-run" });
    expect(toOmar[0].body).toMatch(/^ESCALATED lead 1001 STANDARD/);
  }, 60_000);

  it("a window that ends while the gateway is down escalates once, when it starts again", async () => {
    const dir = freshDir();
    const first = await start(dir);
    expect((await first.call("PUT", "/api/businesses/acme", secondsConfig("4s"))).status).toBe(200);
    const { body: lead } = await first.call("POST", "/api/leads", completeLead());
    const due = Date.parse(lead.nextActionDueAt);
    first.gateway.child.kill("SIGTERM");
    expect(await first.gateway.exited).toBe(0);
    expect(Date.now()).toBeLessThan(due); // stopped inside the window: it could not have fired yet

    await sleep(Math.max(0, due - Date.now()) + 1_000);
    const restartedAt = Date.now();
    const second = await start(dir);
    const level1 = await waitFor(
      async () => {
        const { body } = await second.call("GET", `/api/leads/${lead.id}`);
        const events = body.events.filter((e: any) => e.type === "escalated" && e.detail.level === 1);
        return events.length ? events : null;
      },
      10_000,
      "the missed escalation after the restart",
    );
    await sleep(500); // room for a duplicate to show up
    const { body } = await second.call("GET", `/api/leads/${lead.id}`);
    const events = body.events.filter((e: any) => e.type === "escalated" && e.detail.level === 1);
    expect(events).toHaveLength(1);
    expect(Date.parse(level1[0].at)).toBeGreaterThanOrEqual(restartedAt);
    const messages = (await second.call("GET", `/api/messages?lead=${lead.id}`)).body.messages;
    expect(messages.filter((m: any) => m.purpose === "escalation" && m.to === OMAR)).toHaveLength(1);
  }, 90_000);
});
