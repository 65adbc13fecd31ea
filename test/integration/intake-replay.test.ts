import { eq } from "drizzle-orm";
import { beforeEach, expect, test } from "vitest";
import { inboundEvents } from "../../src/db/schema/index.ts";
import { processCustomerText } from "../../src/intake/customer-sms.ts";
import { ANALYSIS_GRACE_MS, processInbound } from "../../src/intake/process-intake.ts";
import { messagesOf } from "../helpers/listings.ts";
import { fixture, signedHeaders, type AiProvider } from "../helpers/sign-fixture.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { JANE, postTwilio, sms, storedTwilioEvents } from "../helpers/twilio.ts";

// The same inbound event processed again (the process died after the lead committed but before
// the inbox row was closed, so the sweep runs it again; a re-run of extraction), or the same
// call's transcript arriving twice (Retell call_ended, then call_analyzed), changes the lead
// once: no doubled transcript, notes or history, no second text.

describeOnBackends("intake processed again on $name", ({ kind }) => {
  let slug: string;
  const t = useTestApp(kind);
  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    slug = await t.newBusiness();
  });

  const post = async (provider: AiProvider, body: string) => {
    const res = await t.app.request(`/webhooks/${slug}/${provider}`, { method: "POST", body, headers: await signedHeaders(provider, body, t.clock.now()) });
    await t.settle();
    return (await res.json()) as { id: string };
  };
  const onlyLead = async () => {
    const { leads } = (await t.call("GET", `/api/leads?business=${slug}`)).body;
    expect(leads).toHaveLength(1);
    return (await t.call("GET", `/api/leads/${leads[0].id}`)).body;
  };
  /** As a crash after the lead's commit leaves it: the row still to process. */
  const reopen = (id: string) => t.deps.db.update(inboundEvents).set({ status: "received" }).where(eq(inboundEvents.id, id));

  test("a provider webhook processed a second time leaves the lead as it was", async () => {
    const { id } = await post("vapi", fixture("vapi/complete-call"));
    const before = await onlyLead();
    const messagesBefore = await messagesOf(t, slug);
    expect(before.transcript.length).toBeGreaterThan(200);

    t.clock.advance(2 * 60_000);
    await reopen(id);
    await processInbound(t.deps, id);
    await t.settle();
    const after = await onlyLead();
    expect(after.transcript).toBe(before.transcript);
    expect(after.summaryNotes).toBe(before.summaryNotes);
    expect(after.events.map((e: any) => e.type)).toEqual(before.events.map((e: any) => e.type));
    expect(await messagesOf(t, slug)).toHaveLength(messagesBefore.length);
    expect((await t.deps.db.select().from(inboundEvents).where(eq(inboundEvents.id, id)))[0]!.status).toBe("processed");
  });

  test("Retell's call_analyzed after a call_ended already used alone fills fields without repeating the transcript", async () => {
    const ended = await post("retell", fixture("retell/complete-call-ended"));
    t.clock.advance(ANALYSIS_GRACE_MS + 1_000);
    await processInbound(t.deps, ended.id);
    await t.settle();
    const first = await onlyLead();

    await post("retell", fixture("retell/complete-call"));
    const merged = await onlyLead();
    const call = JSON.parse(fixture("retell/complete-call")).call;
    expect(merged.transcript).toBe(call.transcript);
    expect(merged.transcript.split("Agent: Thanks for calling").length - 1).toBe(1);
    // The analysis's summary is new and is added; what the lead already said is not repeated.
    expect(merged.summaryNotes.startsWith(first.summaryNotes)).toBe(true);
    expect(merged.summaryNotes.split(first.summaryNotes).length - 1).toBe(1);
    expect(merged.events.filter((e: any) => e.type === "merged")).toHaveLength(1);
  });

  test("a customer's text processed a second time is added once and answered once", async () => {
    await postTwilio(t, slug, "sms", sms(JANE, "Hi, my water heater is leaking at 12 Elm St."));
    await t.settle();
    const before = await onlyLead();
    const [stored] = await storedTwilioEvents(t, slug);

    t.clock.advance(60_000);
    await reopen(stored!.id);
    await processCustomerText(t.deps, stored!.id);
    await t.settle();
    const after = await onlyLead();
    expect(after.transcript).toBe(before.transcript);
    expect(after.summaryNotes).toBe(before.summaryNotes);
    expect(after.events.filter((e: any) => e.type === "customer_message")).toHaveLength(1);
    expect(after.events).toHaveLength(before.events.length);
    expect((await messagesOf(t, slug)).filter((m) => m.purpose === "auto-reply")).toHaveLength(1);
  });

  test("two different texts with the same words are both kept: only the same event is deduplicated", async () => {
    await postTwilio(t, slug, "sms", sms(JANE, "Hello?"));
    // One at a time: concurrent intakes from one caller are another story (issue 8, defect 2).
    await t.settle();
    t.clock.advance(60_000);
    await postTwilio(t, slug, "sms", sms(JANE, "Hello?"));
    await t.settle();
    const lead = await onlyLead();
    expect(lead.transcript.split("Customer: Hello?").length - 1).toBe(2);
    expect(lead.events.filter((e: any) => e.type === "customer_message")).toHaveLength(2);
  });
});
