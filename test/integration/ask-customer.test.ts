import { and, eq, isNull } from "drizzle-orm";
import { http, HttpResponse } from "msw";
import { beforeEach, expect, test } from "vitest";
import { silentLogger } from "../../src/adapters/logger.ts";
import { runDueOnce } from "../../src/core/timer-store.ts";
import { timers } from "../../src/db/schema/index.ts";
import type { BusinessConfigInput } from "../../src/domain/business-config.ts";
import { fireTimer } from "../../src/escalation/fire-timer.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { leadById, leadsOf, messagesOfLead } from "../helpers/listings.ts";
import { vapiWebhook } from "../helpers/provider-apis.ts";
import { signedHeaders } from "../helpers/sign-fixture.ts";
import { acceptingMessaging, DANA, IVY, JANE, postTwilio, sms } from "../helpers/twilio.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

const MIN = 60_000;
const MONDAY_9AM = "2026-11-23T15:00:00Z"; // 09:00 in Chicago
const VAPI_BASE = "https://vapi.test.example";
const RETELL_BASE = "https://retell.test.example";

/** An intake record complete but for `without`: what a web form or receptionist tool posts. */
function intakeBody(without: string[], over: Record<string, unknown> = {}) {
  const fields: Record<string, unknown> = {
    fullName: "Jane Doe",
    phone: JANE,
    serviceAddress: "12 Elm St, Austin TX 78701",
    serviceType: "water heater",
    urgency: "standard",
    summaryNotes: "Water heater leaking in the garage",
    promisedNextStep: "Call back to book a visit",
    ...over,
  };
  for (const name of without) delete fields[name];
  return JSON.stringify({ externalId: `form-${Math.random().toString(36).slice(2)}`, source: "website", fields });
}

describeOnBackends("asking the caller for what is missing on $name", ({ kind }) => {
  const server = useVendorEdge();
  const t = useTestApp(kind, { messaging: acceptingMessaging() });
  let slug: string;

  const business = async (change: (ask: NonNullable<BusinessConfigInput["askCustomer"]>, c: BusinessConfigInput) => void = () => {}) => {
    slug = await t.newBusiness((c) => {
      c.askCustomer = { enabled: true };
      change(c.askCustomer, c);
    });
  };
  beforeEach(async () => {
    t.clock.set(MONDAY_9AM);
    // Suites share a database: earlier tests' wake-ups must not fire in this one.
    await t.deps.db.update(timers).set({ status: "canceled" }).where(eq(timers.status, "pending"));
  });

  const postIntake = async (body: string) => {
    const res = await t.app.request(`/webhooks/${slug}/intake`, { method: "POST", body, headers: await signedHeaders("intake", body, t.clock.now()) });
    expect(res.status).toBe(200);
    await t.settle();
    const [lead] = await leadsOf(t, slug);
    return lead;
  };
  /** The caller texts, a minute after whatever came before (so texts sort by time). */
  const reply = async (text: string, from = JANE) => {
    t.clock.advance(MIN);
    const res = await postTwilio(t, slug, "sms", sms(from, text));
    expect(res.status).toBe(200);
    await t.settle();
  };
  /** Fires what is due by the test clock, as the timer loop would (business-wide timers left out). */
  const runDue = async () => {
    await t.deps.db.update(timers).set({ status: "canceled" }).where(and(eq(timers.status, "pending"), isNull(timers.leadId)));
    await runDueOnce({ db: t.deps.db, clock: t.clock, logger: silentLogger, fire: async (timer) => void (await fireTimer(t.deps, timer)) });
    await t.settle();
  };
  const at = (minutes: number) => t.clock.set(new Date(Date.parse(MONDAY_9AM) + minutes * MIN));
  const questions = async (id: string) => (await messagesOfLead(t, id)).filter((m) => m.purpose === "ask").sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const intakeTexts = async (id: string) => (await messagesOfLead(t, id)).filter((m) => m.purpose === "incomplete");
  const types = (lead: any) => lead.events.map((e: any) => e.type);
  const event = (lead: any, type: string) => lead.events.filter((e: any) => e.type === type);

  test("a record without an address asks the caller, and intake hears nothing while the caller may answer", async () => {
    await business();
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    expect(lead).toMatchObject({ state: "intake", missingFields: ["serviceAddress"] });
    const [question] = await questions(lead.id);
    expect(question).toMatchObject({ to: JANE, channel: "sms", status: "queued" });
    expect(question.body).toBe("Acme Plumbing & Heating here about your water heater: what is the service address? Reply here.");
    expect(await intakeTexts(lead.id)).toHaveLength(0);
    const full = await leadById(t, lead.id);
    expect(event(full, "asked")).toMatchObject([{ actor: "system", detail: { field: "serviceAddress", channel: "sms" } }]);
    expect(types(full)).not.toContain("with_intake");
  });

  test("the answer fills the field asked, even without a street suffix, and the complete lead is offered", async () => {
    await business();
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    t.clock.advance(2 * MIN);
    await reply("4821 W 38th");
    const done = await leadById(t, lead.id);
    expect(done).toMatchObject({ state: "offered", ownerId: "dana", serviceAddress: "4821 W 38th", missingFields: [] });
    expect(done.fieldSources.serviceAddress).toBe("customer_answer");
    expect(event(done, "answered")).toMatchObject([{ detail: { field: "serviceAddress", source: "customer_answer" } }]);
    // The history reads question, the customer's text, answer, offer.
    const order = ["asked", "customer_message", "answered", "offered"].map((type) => types(done).indexOf(type));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.every((i) => i >= 0)).toBe(true);
    const messages = await messagesOfLead(t, lead.id);
    expect(messages.filter((m) => m.purpose === "offer")).toMatchObject([{ to: DANA }]);
    expect(messages.filter((m) => m.purpose === "incomplete")).toHaveLength(0);
    expect(await questions(lead.id)).toHaveLength(1);
    // The metrics count it (CONTRACT §15, §12): completed by its caller, 3 minutes from creation to offer.
    const metrics = await t.call("GET", `/api/metrics?business=${slug}&from=2026-11-23&to=2026-11-24`);
    expect(metrics.body.completedByCustomer).toEqual({ leads: 1, medianSecondsToComplete: 180 });
  });

  test("after the first answer the next missing field is asked, up to maxQuestions, then intake is told what is left", async () => {
    await business();
    const lead = await postIntake(intakeBody(["serviceAddress", "serviceType", "fullName"], { summaryNotes: "Something is wrong in the garage" }));
    expect((await questions(lead.id)).map((q) => q.body)).toEqual([
      "Acme Plumbing & Heating here about your call: what is the service address? Reply here.",
    ]);
    await reply("It's 4821 Burnet Rd, Austin");
    let now = await leadById(t, lead.id);
    expect(now.serviceAddress).toBe("4821 Burnet Rd, Austin");
    expect((await questions(lead.id)).at(-1).body).toBe("Acme Plumbing & Heating here about your call: what do you need help with? Reply here.");
    expect(await intakeTexts(lead.id)).toHaveLength(0);

    await reply("water heater replacement");
    now = await leadById(t, lead.id);
    expect(now).toMatchObject({ state: "intake", missingFields: ["fullName"] });
    expect(now.serviceType).toBeTruthy();
    // maxQuestions is 2: the name is not asked; intake hears what is still missing, and why.
    expect(await questions(lead.id)).toHaveLength(2);
    expect(event(now, "answered").map((e: any) => e.detail.field)).toEqual(["serviceAddress", "serviceType"]);
    const [notice] = await intakeTexts(lead.id);
    expect(notice).toMatchObject({ to: IVY });
    expect(notice.body).toContain("name");
    expect(event(now, "with_intake").at(-1).detail).toMatchObject({ askEnded: "asked 2 questions", missingFields: ["fullName"] });
  });

  test("an answer that does not fit is asked again once; a second one sends the lead to intake", async () => {
    await business();
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    await reply("not sure");
    let qs = await questions(lead.id);
    expect(qs.map((q) => q.body)).toEqual([
      "Acme Plumbing & Heating here about your water heater: what is the service address? Reply here.",
      "Acme Plumbing & Heating here about your water heater: sorry, we need the street address of the job (number and street). What is it?" +
        " Reply here.",
    ]);
    expect(await intakeTexts(lead.id)).toHaveLength(0);
    await reply("who is this?");
    qs = await questions(lead.id);
    expect(qs).toHaveLength(2);
    const now = await leadById(t, lead.id);
    expect(now.state).toBe("intake");
    expect(await intakeTexts(lead.id)).toMatchObject([{ to: IVY }]);
    expect(event(now, "asked").map((e: any) => e.detail.again ?? false)).toEqual([false, true]);
    expect(event(now, "with_intake").at(-1).detail.askEnded).toBe("the answer did not fit, twice");
    // The conversation is over: a later text is a note, not an answer, and asks nothing.
    await reply("actually it is 4821 W 38th");
    expect(await questions(lead.id)).toHaveLength(2);
  });

  test("STOP ends the asking: intake is told at once, and nothing more is texted to the caller", async () => {
    await business();
    const lead = await postIntake(intakeBody(["serviceAddress", "fullName"]));
    await reply("STOP");
    const now = await leadById(t, lead.id);
    expect(now.state).toBe("intake");
    expect(await intakeTexts(lead.id)).toMatchObject([{ to: IVY }]);
    expect(event(now, "with_intake").at(-1).detail.askEnded).toBe("the caller texted STOP");
    // The wait runs out later and changes nothing.
    at(11);
    await runDue();
    expect(await questions(lead.id)).toHaveLength(1);
    expect(event(await leadById(t, lead.id), "with_intake")).toHaveLength(1);
  });

  test("an opted-out caller is not asked; intake is told at once", async () => {
    await business();
    await reply("STOP");
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    expect(await questions(lead.id)).toHaveLength(0);
    expect(await intakeTexts(lead.id)).toHaveLength(1);
    expect(event(await leadById(t, lead.id), "with_intake")[0].detail.askEnded).toBe("not asked: the caller opted out of texts");
  });

  test("an emergency is never asked: it is offered to on-call at once", async () => {
    await business();
    const lead = await postIntake(intakeBody(["serviceAddress"], { urgency: "emergency", summaryNotes: "Gas smell near the water heater" }));
    expect(lead).toMatchObject({ state: "offered", ownerId: "dana" });
    expect(await questions(lead.id)).toHaveLength(0);
    expect(types(await leadById(t, lead.id))).not.toContain("asked");
  });

  test("asking off: intake is told at once, as before", async () => {
    await business((ask) => void (ask.enabled = false));
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    expect(await questions(lead.id)).toHaveLength(0);
    expect(await intakeTexts(lead.id)).toMatchObject([{ to: IVY }]);
    expect(event(await leadById(t, lead.id), "with_intake")[0].detail.askEnded).toBeUndefined();
  });

  test("in quiet hours the question waits for morning and intake is told at once; a morning answer still completes the lead", async () => {
    await business();
    t.clock.set("2026-11-24T04:00:00Z"); // 22:00 in Chicago
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    const [question] = await questions(lead.id);
    expect(question.status).toBe("queued");
    expect(question.sendAfter).toBe("2026-11-24T14:00:00.000Z"); // 08:00 in Chicago
    expect(await intakeTexts(lead.id)).toMatchObject([{ to: IVY }]);
    const full = await leadById(t, lead.id);
    expect(event(full, "asked")[0].detail).toMatchObject({ field: "serviceAddress", heldUntil: "2026-11-24T14:00:00.000Z" });
    expect(event(full, "with_intake")[0].detail.askEnded).toBe("the question waits for quiet hours to end");

    t.clock.set("2026-11-24T14:05:00Z");
    await reply("4821 Burnet Road");
    expect(await leadById(t, lead.id)).toMatchObject({ state: "offered", serviceAddress: "4821 Burnet Road" });
    // Intake was told once; the answer adds no second notice.
    expect(await intakeTexts(lead.id)).toHaveLength(1);
  });

  test("at night, a question that follows the caller's own answer goes at once: they are texting now", async () => {
    await business();
    t.clock.set("2026-11-24T04:00:00Z"); // 22:00 in Chicago
    const lead = await postIntake(intakeBody(["serviceAddress", "serviceType"]));
    expect((await questions(lead.id))[0].sendAfter).toBe("2026-11-24T14:00:00.000Z");
    // They text the address anyway (they know what is missing): the next question is a reply.
    await reply("4821 Burnet Road");
    const [, second] = await questions(lead.id);
    expect(second.body).toContain("what do you need help with?");
    expect(second.sendAfter).toBeNull();
  });

  test("waitFor passing without an answer tells intake; completeWithin still counts from the lead's creation", async () => {
    await business((ask) => void (ask.waitFor = "2m"));
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    at(1);
    await runDue();
    expect(await intakeTexts(lead.id)).toHaveLength(0);
    at(2);
    await runDue();
    expect(await intakeTexts(lead.id)).toMatchObject([{ to: IVY }]);
    expect(event(await leadById(t, lead.id), "with_intake")[0].detail.askEnded).toBe("no answer within 2m");
    const [incomplete] = await t.deps.db.select().from(timers).where(and(eq(timers.leadId, lead.id), eq(timers.kind, "incomplete")));
    expect(incomplete!.dueAt.toISOString()).toBe(new Date(Date.parse(lead.createdAt) + 15 * MIN).toISOString());
    // The question stays open: a late answer still fills the record and routes it.
    at(5);
    await reply("4821 W 38th");
    expect(await leadById(t, lead.id)).toMatchObject({ state: "offered", serviceAddress: "4821 W 38th" });
    expect(await intakeTexts(lead.id)).toHaveLength(1);
  });

  test("a field intake fills meanwhile settles the question without an answered event", async () => {
    await business();
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    expect((await t.call("PATCH", `/api/leads/${lead.id}`, { serviceAddress: "12 Elm St, Austin" })).status).toBe(200);
    await t.settle();
    const done = await leadById(t, lead.id);
    expect(done.state).toBe("offered");
    expect(event(done, "answered")).toHaveLength(0);
    // The caller's late text is a note for the owner now, not an answer.
    await reply("4821 W 38th");
    expect(event(await leadById(t, lead.id), "answered")).toHaveLength(0);
    expect((await messagesOfLead(t, lead.id)).filter((m) => m.purpose === "customer-reply")).toHaveLength(1);
  });

  test("a first text from an unknown number is answered by the question alone, not a question and an auto-reply", async () => {
    await business();
    await reply("Hi, my water heater is leaking, can someone come out?", "+15125550166");
    const [lead] = await leadsOf(t, slug);
    const messages = await messagesOfLead(t, lead.id);
    expect(messages.filter((m) => m.purpose === "ask")).toHaveLength(1);
    expect(messages.filter((m) => m.purpose === "auto-reply")).toHaveLength(0);
  });

  test("a reply after the lead was offered is a customer note for the owner", async () => {
    await business();
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    await reply("4821 W 38th");
    t.clock.advance(MIN);
    await reply("The gate code is 4411");
    const messages = await messagesOfLead(t, lead.id);
    expect(messages.filter((m) => m.purpose === "customer-reply")).toMatchObject([{ to: DANA }]);
    expect(messages.filter((m) => m.purpose === "customer-reply")[0].body).toContain("The gate code is 4411");
    expect(await questions(lead.id)).toHaveLength(1);
    expect(event(await leadById(t, lead.id), "answered")).toHaveLength(1);
  });

  test("callWith vapi: an AI callback is placed with the missing fields, and its end-of-call report completes the same lead", async () => {
    const created: any[] = [];
    server.use(
      http.post(`${VAPI_BASE}/call`, async ({ request }) => {
        expect(request.headers.get("authorization")).toBe("Bearer vapi-key");
        created.push(await request.json());
        return HttpResponse.json({ id: "vapi-callback-1", status: "queued" }, { status: 201 });
      }),
    );
    await business((ask, c) => {
      ask.callWith = { vapi: { assistantId: "asst-1", phoneNumberId: "pn-1" } };
      c.reconcile = { vapi: { apiKey: "vapi-key", baseUrl: VAPI_BASE } };
    });
    const lead = await postIntake(intakeBody(["serviceAddress"]));
    await runDue();
    expect(created).toMatchObject([
      {
        assistantId: "asst-1",
        phoneNumberId: "pn-1",
        customer: { number: JANE },
        assistantOverrides: { variableValues: { businessName: "Acme Plumbing & Heating", customerName: "Jane Doe", missingFields: "address", leadCode: String(lead.code) } },
      },
    ]);
    expect(await questions(lead.id)).toHaveLength(0);
    expect(event(await leadById(t, lead.id), "asked")).toMatchObject([{ detail: { field: "serviceAddress", channel: "voice", provider: "vapi", callId: "vapi-callback-1" } }]);
    // A duplicate firing places no second call.
    await runDue();
    expect(created).toHaveLength(1);

    // The callback's end-of-call report (the assistant heard "4821 Burnet Road") completes the lead.
    const body = vapiWebhook({ id: "vapi-callback-1", customer: { number: JANE }, analysis: { summary: "The caller gave the service address: 4821 Burnet Road, Austin, TX 78756." } });
    const res = await t.app.request(`/webhooks/${slug}/vapi`, { method: "POST", body, headers: await signedHeaders("vapi", body, t.clock.now()) });
    expect(res.status).toBe(200);
    await t.settle();
    const done = await leadById(t, lead.id);
    expect(done).toMatchObject({ state: "offered", missingFields: [] });
    expect(done.serviceAddress).toContain("4821 Burnet Road");
    expect(event(done, "answered")).toMatchObject([{ detail: { field: "serviceAddress", channel: "voice" } }]);
    expect(await leadsOf(t, slug)).toHaveLength(1);
  });

  test("callWith retell: the call is created with Retell's shape; a refused call falls back to a text question", async () => {
    const created: any[] = [];
    let refuse = false;
    server.use(
      http.post(`${RETELL_BASE}/v2/create-phone-call`, async ({ request }) => {
        expect(request.headers.get("authorization")).toBe("Bearer retell-key");
        created.push(await request.json());
        if (refuse) return HttpResponse.json({ message: "from_number is not a Retell number" }, { status: 400 });
        return HttpResponse.json({ call_id: "retell-callback-1", call_status: "registered" }, { status: 201 });
      }),
    );
    await business((ask, c) => {
      ask.callWith = { retell: { agentId: "agent-1", fromNumber: "+15125550100" } };
      c.reconcile = { retell: { apiKey: "retell-key", baseUrl: RETELL_BASE } };
    });
    const lead = await postIntake(intakeBody(["serviceAddress", "fullName"]));
    await runDue();
    expect(created[0]).toMatchObject({
      from_number: "+15125550100",
      to_number: JANE,
      override_agent_id: "agent-1",
      retell_llm_dynamic_variables: { missingFields: "address, name" },
    });
    expect(event(await leadById(t, lead.id), "asked")[0].detail).toMatchObject({ channel: "voice", provider: "retell", callId: "retell-callback-1", fields: ["serviceAddress", "fullName"] });

    refuse = true;
    await t.call("POST", "/api/leads", { business: slug, fullName: "Sam Roe", phone: "+15125550177", serviceType: "drain cleaning", urgency: "standard", source: "website", summaryNotes: "Slow drain", promisedNextStep: "Call back" });
    await t.settle();
    const other = (await leadsOf(t, slug)).find((l) => l.phone === "+15125550177");
    await runDue();
    expect(created).toHaveLength(2);
    const [question] = await questions(other.id);
    expect(question).toMatchObject({ to: "+15125550177" });
    expect(question.body).toContain("what is the service address?");
    expect(event(await leadById(t, other.id), "asked")).toMatchObject([{ detail: { field: "serviceAddress", channel: "sms" } }]);
  });
});
