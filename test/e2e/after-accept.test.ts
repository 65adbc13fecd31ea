import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoInput } from "../helpers/demo-config.ts";
import { startGateway, type GatewayProcess, apiCaller } from "../helpers/gateway-process.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { completeLead } from "../helpers/test-app.ts";
import { DANA, OMAR, sms, postTwilioTo, PUBLIC_URL } from "../helpers/twilio.ts";

// The real server (`tsx src/node.ts`) on a fresh embedded database with the built-in timer loop,
// driven only by HTTP: signed Twilio texts from the owner, the admin API to look. Windows are
// seconds long, so reminders, the overdue notice and a lapsed reassignment fire for real.
const TOKEN = "after-accept-e2e-token";
const SAM = "+15125550114";
describe("after ACCEPT in a running gateway", () => {
  const dirs: string[] = [];
  const running: GatewayProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function start() {
    const dir = mkdtempSync(join(tmpdir(), "handoff-after-accept-"));
    dirs.push(dir);
    // No QStash, no PostgreSQL, no Twilio account, whatever the surrounding environment says.
    const gateway = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, PUBLIC_URL, DATABASE_URL: "", QSTASH_TOKEN: "", TWILIO_ACCOUNT_SID: "" });
    running.push(gateway);
    const base = await gateway.ready;
    const call = apiCaller(base, TOKEN);
    /** A text from a member, signed as Twilio signs it (the public URL, not the local one). */
    const text = async (from: string, body: string) => {
      const res = await postTwilioTo(base, "acme", "sms", sms(from, body));
      expect(res.status).toBe(200);
    };
    const messages = async (leadId: string) => (await call("GET", `/api/messages?lead=${leadId}`)).body.messages as any[];
    const replyTo = async (phone: string) =>
      waitFor(async () => ((await call("GET", "/api/messages?business=acme")).body.messages as any[]).find((m) => m.purpose === "reply" && m.to === phone), 5_000, `a reply to ${phone}`);
    return { call, text, messages, replyTo };
  }

  it("an owner takes a lead from ACCEPT to DONE by text; a next action nobody moved reminds, then escalates, within seconds", async () => {
    const { call, text, messages, replyTo } = await start();
    const config = demoInput();
    config.escalation = { ...config.escalation, overdue: { escalateAfter: "2s", escalateTo: "office_lead" } } as typeof config.escalation;
    expect((await call("PUT", "/api/businesses/acme", config)).status).toBe(200);

    const { body: lead } = await call("POST", "/api/leads", completeLead());
    expect(lead).toMatchObject({ state: "offered", ownerId: "dana" });
    await text(DANA, "ACCEPT");
    await waitFor(async () => (await call("GET", `/api/leads/${lead.id}`)).body.state === "accepted", 5_000, "the acceptance");

    await text(DANA, "next call back in 3 seconds");
    expect((await replyTo(DANA)).body).toMatch(/^1001: next - call back, due \d{1,2}:\d{2} (AM|PM) CST$/);
    const { body: planned } = await call("GET", `/api/leads/${lead.id}`);
    expect(planned.nextAction).toBe("call back");
    const setAt = Date.parse(planned.events.find((e: any) => e.type === "next_action").at);
    // "in 3 seconds" counts from when the text was read, a moment before the change was written.
    expect(Date.parse(planned.nextActionDueAt) - setAt).toBeLessThanOrEqual(3_000);
    expect(Date.parse(planned.nextActionDueAt) - setAt).toBeGreaterThan(1_000);

    const reminder = await waitFor(async () => (await messages(lead.id)).find((m) => m.purpose === "reminder"), 10_000, "the reminder");
    expect(reminder).toMatchObject({ to: DANA, status: "dry-run" });
    // Not before the due time: the wake-up is the due time itself, not a poll that happened by.
    expect(Date.parse(reminder.createdAt)).toBeGreaterThanOrEqual(Date.parse(planned.nextActionDueAt));

    const overdue = await waitFor(async () => (await messages(lead.id)).find((m) => m.purpose === "overdue"), 10_000, "the overdue notice");
    expect(overdue).toMatchObject({ to: OMAR, status: "dry-run" });
    expect(overdue.body).toMatch(/^Overdue: lead 1001 \(Jane Doe\), Dana Ruiz was to call back by /);
    expect(Date.parse(overdue.createdAt) - Date.parse(planned.nextActionDueAt)).toBeGreaterThanOrEqual(2_000);

    await text(DANA, "NOTE 1001 gate code 4411");
    await text(DANA, "DONE 1001 booked");
    const done = await waitFor(async () => {
      const { body } = await call("GET", `/api/leads/${lead.id}`);
      return body.state === "closed" ? body : null;
    }, 5_000, "the close");
    expect(done).toMatchObject({ outcome: "booked", notes: [expect.objectContaining({ by: "dana", text: "gate code 4411" })] });
    expect(done.events.map((e: any) => e.type)).toEqual(expect.arrayContaining(["accepted", "next_action", "reminded", "overdue_escalated", "note", "closed"]));
  }, 60_000);

  it("a reassignment nobody accepts lapses after the lead's window and stays with its owner", async () => {
    const { call, text, messages } = await start();
    const config = demoInput();
    config.escalation = { ...config.escalation, standard: { acceptWithin: "3s", escalateTo: "office_lead", channels: ["sms"] } } as typeof config.escalation;
    expect((await call("PUT", "/api/businesses/acme", config)).status).toBe(200);
    const { body: lead } = await call("POST", "/api/leads", completeLead());
    await text(DANA, "ACCEPT 1001");
    await text(DANA, "REASSIGN 1001 sam no truck nearby");
    const pending = (await call("GET", `/api/leads/${lead.id}`)).body;
    expect(pending).toMatchObject({ state: "accepted", ownerId: "dana", pendingOwnerId: "sam" });
    expect((await messages(lead.id)).find((m) => m.purpose === "reassign-offer")).toMatchObject({ to: SAM });

    const lapsed = await waitFor(async () => (await messages(lead.id)).find((m) => m.purpose === "reassign-not-taken"), 10_000, "the lapse notice");
    expect(lapsed).toMatchObject({ to: DANA, body: "Sam Patel did not accept lead 1001 in time. It stays yours." });
    expect(Date.parse(lapsed.createdAt) - Date.parse(pending.pendingOfferedAt)).toBeGreaterThanOrEqual(3_000);
    expect((await call("GET", `/api/leads/${lead.id}`)).body).toMatchObject({ state: "accepted", ownerId: "dana", pendingOwnerId: null });
  }, 60_000);
});
