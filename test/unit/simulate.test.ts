import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulate } from "../../src/cli/simulate.ts";
import { parseEnv } from "../../src/runtime/env.ts";
import { heuristicExtractor } from "../../src/adapters/extractor/heuristic/index.ts";
import { useTestApp } from "../helpers/harness.ts";
import { leadsOf, messagesOf } from "../helpers/listings.ts";
import { ADMIN_TOKEN } from "../helpers/test-app.ts";

/**
 * `handoff simulate` against a real HTTP server in this process: the demo business, dry-run
 * messaging and the offline extractor, as `npm start` runs with no credentials. The steps follow
 * docs/twilio.md, so the fixtures' lead codes are the ones the demo produces.
 */
describe("handoff simulate", () => {
  const t = useTestApp("pglite", { deps: { extractor: heuristicExtractor() } });
  let server: ServerType;
  let url: string;
  const env = parseEnv({ PUBLIC_URL: "https://gateway.example.com", ADMIN_TOKEN });

  beforeAll(async () => {
    // simulate signs with the real time; Retell's check refuses a timestamp 5 minutes off.
    t.clock.set(new Date());
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Runs the command as the CLI would; returns its exit code and what it printed. */
  async function run(provider: string, file: string, extra: { secret?: string; business?: string; url?: string } = {}) {
    const out: string[] = [];
    const code = await simulate({
      provider,
      file,
      business: extra.business ?? "acme",
      url: extra.url ?? url,
      env,
      secret: extra.secret,
      print: (l) => out.push(l),
      printError: (l) => out.push(l),
    });
    await t.settle();
    return { code, out: out.join("\n") };
  }
  const leads = () => leadsOf(t, "acme");
  const byCode = async (code: number) => (await leads()).find((l) => l.code === code);
  const messages = () => messagesOf(t, "acme");

  it("plays the documented demo: a receptionist call, an SMS accept, a refused reject, a missed call and the customer's reply", async () => {
    const call = await run("vapi", "fixtures/vapi/complete-call.json");
    expect(call.code).toBe(0);
    expect(call.out).toMatch(/^200 OK POST \/webhooks\/acme\/vapi/);
    expect(await byCode(1001)).toMatchObject({ state: "offered", ownerId: "dana" });
    expect(call.out).toContain("Lead acme:1001: offered, owner dana. More: npx handoff show acme:1001");

    const accept = await run("twilio-sms", "fixtures/twilio/sms-owner-accept.json");
    expect(accept.out).toContain("200 OK POST /webhooks/acme/twilio/sms");
    expect(accept.out).toContain("<Response/>");
    expect(await byCode(1001)).toMatchObject({ state: "accepted", ownerId: "dana" });

    await run("twilio-sms", "fixtures/twilio/sms-owner-reject.json");
    expect(await byCode(1001)).toMatchObject({ state: "accepted" });
    expect((await messages()).find((m) => m.purpose === "reply" && m.body.startsWith("Lead 1001 is already accepted"))).toBeDefined();

    // Minutes pass between the steps, as they would (the newest offer is the one a keypad answers).
    t.clock.advance(60_000);
    const ring = await run("twilio-voice", "fixtures/twilio/voice-inbound.json");
    expect(ring.out).toContain("<Dial");
    const missed = await run("twilio-dial-status", "fixtures/twilio/dial-status-no-answer.json");
    expect(missed.out).toContain("<Record");
    expect(await byCode(1002)).toMatchObject({ source: "missed_call", ownerId: "ivy", phone: "+15125550123" });
    expect(missed.out).toContain("Lead acme:1002: offered, owner ivy");

    t.clock.advance(60_000);
    const voicemail = await run("twilio", "fixtures/twilio/voicemail.json");
    expect(voicemail.out).toContain("POST /webhooks/acme/twilio/voicemail");
    const reply = await run("twilio-sms", "fixtures/twilio/sms-customer-reply.json");
    expect(reply.code).toBe(0);
    // The reply is merged into the missed-call lead, and that is the lead printed.
    expect(reply.out).toContain("Lead acme:1002: offered, owner ivy");
    expect(accept.out).not.toContain("Lead acme:");
    expect(await byCode(1002)).toMatchObject({ fullName: "Jane", serviceAddress: "1208 E 4th St, Austin", recordingUrl: expect.stringContaining("/Recordings/RE") });
    expect((await messages()).find((m) => m.purpose === "customer-reply")).toMatchObject({ to: "+15125550115" });

    // The keypad fixture answers the most recent offer: lead 1002, offered to Ivy.
    const press = await run("twilio-gather", "fixtures/twilio/gather-accept.json");
    expect(press.out).toContain("Accepted. Lead 1 0 0 2 is yours.");
    expect(await byCode(1002)).toMatchObject({ state: "accepted", ownerId: "ivy" });

    const stop = await run("twilio-sms", "fixtures/twilio/sms-customer-stop.json");
    expect(stop.code).toBe(0);
    expect(await leads()).toHaveLength(2);
  });

  it("plays the documented walk after ACCEPT: Dana's next action and note, a reassignment Omar accepts, and his DONE", async () => {
    // Lead 1001 is Dana's from the demo above.
    const reply = async () => (await messages()).filter((m) => m.purpose === "reply")[0]!.body;
    t.clock.advance(5_000);
    await run("twilio-sms", "fixtures/twilio/sms-owner-next.json");
    expect(await reply()).toMatch(/^1001: next - call to book, due ((Tue|[A-Z][a-z]{2} \d+) )?9:00 AM CST$/);
    expect(await byCode(1001)).toMatchObject({ nextAction: "call to book" });
    t.clock.advance(5_000);
    await run("twilio-sms", "fixtures/twilio/sms-owner-note.json");
    expect(await reply()).toBe("1001: note added - gate code 4411.");
    t.clock.advance(5_000);
    await run("twilio-sms", "fixtures/twilio/sms-owner-reassign.json");
    expect(await reply()).toBe("Lead 1001 offered to Omar Lee. It stays yours until they ACCEPT.");
    expect(await byCode(1001)).toMatchObject({ state: "accepted", ownerId: "dana", pendingOwnerId: "omar" });
    t.clock.advance(5_000);
    await run("twilio-sms", "fixtures/twilio/sms-omar-accept.json");
    expect(await byCode(1001)).toMatchObject({ state: "accepted", ownerId: "omar", pendingOwnerId: null });
    t.clock.advance(5_000);
    await run("twilio-sms", "fixtures/twilio/sms-omar-done.json");
    expect(await reply()).toBe("Lead 1001 closed: booked. Thanks.");
    expect(await byCode(1001)).toMatchObject({ state: "closed", outcome: "booked", notes: [expect.objectContaining({ text: "gate code 4411" })] });
    t.clock.advance(5_000);
    await run("twilio-sms", "fixtures/twilio/sms-owner-away.json");
    expect(await reply()).toMatch(/^You're AWAY: no new leads until you text BACK\./);
    t.clock.advance(5_000);
    await run("twilio-sms", "fixtures/twilio/sms-owner-back.json");
    expect(await reply()).toBe("You're BACK: new leads reach you again. Reply LIST to see yours.");
  });

  it.each([
    ["retell", "fixtures/retell/complete-call.json"],
    ["bland", "fixtures/bland/complete-call.json"],
    ["intake", "fixtures/intake/web-form-complete.json"],
  ])("signs %s with the demo business's secret", async (provider, file) => {
    const { code, out } = await run(provider, file);
    expect(out).toMatch(new RegExp(`^200 OK POST /webhooks/acme/${provider}`));
    expect(code).toBe(0);
  });

  it("a wrong secret is refused by the server and exits 1", async () => {
    const { code, out } = await run("twilio-sms", "fixtures/twilio/sms-owner-accept.json", { secret: "wrong-token" });
    expect(code).toBe(1);
    expect(out).toContain("403 Forbidden");
    expect(out).toContain('"code":"forbidden"');
  });

  it("signs for PUBLIC_URL, not the local URL it posts to", async () => {
    const local = await simulate({
      provider: "twilio-voice",
      file: "fixtures/twilio/voice-inbound.json",
      business: "acme",
      url,
      env: parseEnv({}),
      print: () => {},
    });
    expect(local).toBe(1);
  });

  it("an unknown provider or a missing file is a usage error", async () => {
    expect((await run("carrier-pigeon", "fixtures/twilio/voice-inbound.json")).code).toBe(2);
    expect((await run("twilio-sms", "fixtures/twilio/nope.json")).code).toBe(2);
  });
});
