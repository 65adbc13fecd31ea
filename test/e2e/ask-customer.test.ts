import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signIntake } from "../../src/adapters/inbound/intake.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { startGateway, type GatewayProcess, apiCaller } from "../helpers/gateway-process.ts";
import { DEMO_SECRETS } from "../helpers/sign-fixture.ts";
import { DANA, IVY, JANE, sms, postTwilioTo, PUBLIC_URL } from "../helpers/twilio.ts";
import { waitFor } from "../helpers/wait-for.ts";

// The real server (`tsx src/node.ts`) on a fresh embedded database with the built-in timer loop,
// driven only by HTTP: a signed intake webhook, the caller's signed Twilio text, the admin API to
// look. `waitFor` is seconds long, so the caller who does not answer reaches intake for real.
const TOKEN = "ask-customer-e2e-token";
const SILENT_CALLER = "+15125550188";

/** Quiet hours a minute long, twelve hours from now in Chicago: the run never falls inside them. */
function quietHoursAwayFromNow(): { start: string; end: string } {
  const [h, m] = new Intl.DateTimeFormat("en-GB", { timeZone: "America/Chicago", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date())
    .split(":")
    .map(Number) as [number, number];
  const at = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  const start = (h + 12) * 60 + m;
  return { start: at(start), end: at(start + 1) };
}

describe("asking the caller in a running gateway", () => {
  const dirs: string[] = [];
  const running: GatewayProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("an intake without an address asks the caller, whose texted answer completes and routes the lead; a caller who does not answer reaches intake after waitFor", async () => {
    const dir = mkdtempSync(join(tmpdir(), "handoff-ask-customer-"));
    dirs.push(dir);
    // No QStash, no PostgreSQL, no Twilio account, whatever the surrounding environment says.
    const gateway = startGateway({ DATA_DIR: dir, ADMIN_TOKEN: TOKEN, PUBLIC_URL, DATABASE_URL: "", QSTASH_TOKEN: "", TWILIO_ACCOUNT_SID: "", OPENAI_API_KEY: "" });
    running.push(gateway);
    const base = await gateway.ready;
    const call = apiCaller(base, TOKEN);
    const intake = async (externalId: string, phone: string) => {
      const body = JSON.stringify({
        externalId,
        source: "website",
        fields: {
          fullName: "Jane Doe",
          phone,
          serviceType: "water heater",
          urgency: "standard",
          summaryNotes: "Water heater leaking in the garage",
          promisedNextStep: "Call back to book a visit",
        },
      });
      const res = await fetch(`${base}/webhooks/acme/intake`, { method: "POST", body, headers: await signIntake(body, DEMO_SECRETS.intake) });
      expect(res.status).toBe(200);
      return waitFor(async () => ((await call("GET", "/api/leads?business=acme")).body.leads as any[]).find((l) => l.phone === phone), 10_000, `the lead of ${phone}`);
    };
    const textFrom = async (from: string, body: string) => {
      const res = await postTwilioTo(base, "acme", "sms", sms(from, body));
      expect(res.status).toBe(200);
    };
    const messages = async (leadId: string) => (await call("GET", `/api/messages?lead=${leadId}`)).body.messages as any[];
    const lead = async (id: string) => (await call("GET", `/api/leads/${id}`)).body;

    const config = demoInput();
    config.askCustomer = { enabled: true, waitFor: "4s" };
    config.quietHours = quietHoursAwayFromNow();
    expect((await call("PUT", "/api/businesses/acme", config)).status).toBe(200);

    // 1. The web form has no address: the caller is asked, intake is not told.
    const asked = await intake("form-ask-1", JANE);
    expect(asked).toMatchObject({ state: "intake", missingFields: ["serviceAddress"] });
    const question = await waitFor(async () => (await messages(asked.id)).find((m) => m.purpose === "ask"), 5_000, "the question");
    expect(question).toMatchObject({ to: JANE, channel: "sms", status: "dry-run" });
    expect(question.body).toBe("Acme Plumbing & Heating here about your water heater: what is the service address? Reply here.");

    // 2. Her signed reply completes the record, and it is routed and offered.
    await textFrom(JANE, "4821 W 38th");
    const done = await waitFor(async () => {
      const now = await lead(asked.id);
      return now.state === "offered" ? now : null;
    }, 10_000, "the offer");
    expect(done).toMatchObject({ ownerId: "dana", serviceAddress: "4821 W 38th", missingFields: [] });
    const types = done.events.map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(["created", "asked", "customer_message", "answered", "offered"]));
    expect(types.indexOf("asked")).toBeLessThan(types.indexOf("answered"));
    expect(types.indexOf("answered")).toBeLessThan(types.indexOf("offered"));
    expect(done.events.find((e: any) => e.type === "answered").detail).toMatchObject({ field: "serviceAddress", source: "customer_answer" });
    expect((await messages(asked.id)).find((m) => m.purpose === "offer")).toMatchObject({ to: DANA });

    // 3. A caller who does not answer: intake hears only once waitFor has passed.
    const silent = await intake("form-ask-2", SILENT_CALLER);
    await waitFor(async () => (await messages(silent.id)).find((m) => m.purpose === "ask"), 5_000, "the second question");
    expect((await messages(silent.id)).filter((m) => m.purpose === "incomplete")).toHaveLength(0);
    const notice = await waitFor(async () => (await messages(silent.id)).find((m) => m.purpose === "incomplete"), 15_000, "the intake notice");
    expect(notice).toMatchObject({ to: IVY });
    expect(Date.parse(notice.createdAt) - Date.parse(silent.createdAt)).toBeGreaterThanOrEqual(4_000);
    const told = await lead(silent.id);
    expect(told.state).toBe("intake");
    expect(told.events.find((e: any) => e.type === "with_intake").detail).toMatchObject({ askEnded: "no answer within 4s", missingFields: ["serviceAddress"] });
    // The caller who answered never reached intake.
    expect((await messages(asked.id)).filter((m) => m.purpose === "incomplete")).toHaveLength(0);
  }, 60_000);
});
