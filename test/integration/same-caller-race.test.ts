import { describe, expect, it } from "vitest";
import { fixture, signedHeaders, type AiProvider } from "../helpers/sign-fixture.ts";
import { TEST_DATABASE_URL } from "../helpers/pg-database.ts";
import { useTestApp } from "../helpers/harness.ts";

// The dedupe of "same caller, same business" must hold when the intakes arrive at the same
// moment. Only real PostgreSQL runs transactions concurrently (PGlite has one connection), so
// this suite runs there alone.
describe.skipIf(!TEST_DATABASE_URL)("intakes from one caller at the same moment (PostgreSQL)", () => {
  const t = useTestApp("postgres");

  const post = async (business: string, provider: AiProvider, body: string) => {
    const res = await t.app.request(`/webhooks/${business}/${provider}`, {
      method: "POST",
      body,
      headers: await signedHeaders(provider, body, t.clock.now()),
    });
    expect(res.status).toBe(200);
  };
  const leadsAndOffers = async (business: string) => {
    const leads = (await t.call("GET", `/api/leads?business=${business}`)).body.leads;
    const messages = (await t.call("GET", `/api/messages?business=${business}`)).body.messages;
    return { leads, offers: messages.filter((m: { purpose: string }) => m.purpose === "offer") };
  };

  const phone = "+15125550117";
  const webForm = fixture("intake/web-form-complete");
  const blandCall = (() => {
    const call = JSON.parse(fixture("bland/complete-call"));
    call.from = phone;
    call.variables.from = phone;
    call.variables.callback_number = phone;
    return JSON.stringify(call);
  })();

  it("a web form and a Bland call sent together make one lead and one owner text, 20 of 20 rounds", async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 20; round++) {
      const business = await t.newBusiness();
      await Promise.all([post(business, "intake", webForm), post(business, "bland", blandCall)]);
      await t.settle();
      const { leads, offers } = await leadsAndOffers(business);
      outcomes.push(`${leads.length} lead(s), ${offers.length} offer(s)`);
      expect(leads[0].phone).toBe(phone);
    }
    expect(outcomes).toEqual(Array(20).fill("1 lead(s), 1 offer(s)"));
  });

  it("ten intakes from one phone at once make one lead that all ten merged into", async () => {
    const business = await t.newBusiness();
    const form = JSON.parse(webForm);
    form.fields.promisedNextStep = "Call back to book a visit"; // complete, so it is offered
    const intakes = Array.from({ length: 10 }, (_, i) => JSON.stringify({ ...form, externalId: `wf-race-${i}` }));
    await Promise.all(intakes.map((body) => post(business, "intake", body)));
    await t.settle();
    const { leads, offers } = await leadsAndOffers(business);
    expect(leads).toHaveLength(1);
    expect(offers).toHaveLength(1);
    const { body: lead } = await t.call("GET", `/api/leads/${leads[0].id}`);
    expect(lead.events.filter((e: { type: string }) => e.type === "merged")).toHaveLength(9);
  });
});
