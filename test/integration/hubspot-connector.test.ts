import { http, HttpResponse } from "msw";
import { expect, test } from "vitest";
import { sweepEvents } from "../../src/events/event-sweep.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

const API = "https://api.hubapi.com";
const TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
const HUBSPOT = { accessToken: TOKEN, pipeline: "default", dealStage: "appointmentscheduled", wonStage: "closedwon", lostStage: "closedlost" };

describeOnBackends("the HubSpot connector on $name", ({ kind }) => {
  const edge = useVendorEdge();
  const t = useTestApp(kind, () => ({
    deps: {
      settings: { publicUrl: "https://gateway.example.com", adminToken: "test-admin-token", secrets: {}, qstash: {}, outboundEvents: { retryScheduleMs: [0, 0, 0, 0, 0, 0, 0] } },
    },
  }));

  /** HubSpot as documented: search answers `{ total, results }`, create answers the object with its id. */
  function hubspot(opts: { existingContact?: string; failDealCreateOnce?: boolean } = {}) {
    const seen: { method: string; path: string; auth: string | null; body: any }[] = [];
    let dealFailures = opts.failDealCreateOnce ? 1 : 0;
    const record = async (request: Request) => {
      const url = new URL(request.url);
      seen.push({ method: request.method, path: url.pathname, auth: request.headers.get("authorization"), body: await request.clone().json() });
    };
    edge.use(
      http.post(`${API}/crm/v3/objects/contacts/search`, async ({ request }) => {
        await record(request);
        const results = opts.existingContact ? [{ id: opts.existingContact, properties: {} }] : [];
        return HttpResponse.json({ total: results.length, results });
      }),
      http.post(`${API}/crm/v3/objects/contacts`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ id: "501", properties: {}, createdAt: "2026-11-23T15:00:00Z", updatedAt: "2026-11-23T15:00:00Z", archived: false }, { status: 201 });
      }),
      http.post(`${API}/crm/v3/objects/deals/search`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ total: 0, results: [] });
      }),
      http.post(`${API}/crm/v3/objects/deals`, async ({ request }) => {
        await record(request);
        if (dealFailures-- > 0) return HttpResponse.json({ status: "error", message: "internal error" }, { status: 502 });
        return HttpResponse.json({ id: "9001", properties: {}, archived: false }, { status: 201 });
      }),
      http.patch(`${API}/crm/v3/objects/deals/:id`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ id: "9001", properties: {} });
      }),
    );
    return seen;
  }

  async function drain() {
    for (let i = 0; i < 10; i++) {
      await t.settle();
      await sweepEvents(t.deps);
    }
    await t.settle();
  }

  test("an accepted lead becomes a contact and a deal in the configured stage; closing it booked moves the deal to won", async () => {
    const slug = await t.newBusiness((c: any) => (c.integrations = { hubspot: HUBSPOT }));
    const seen = hubspot();
    const lead = (await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550181" }))).body;
    await drain();
    expect(seen).toEqual([]); // created and offered are not the connector's events
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: lead.ownerId });
    await drain();
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /crm/v3/objects/contacts/search",
      "POST /crm/v3/objects/contacts",
      "POST /crm/v3/objects/deals/search",
      "POST /crm/v3/objects/deals",
    ]);
    expect(seen.every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(seen[0]!.body).toEqual({ filterGroups: [{ filters: [{ propertyName: "phone", operator: "EQ", value: "+15125550181" }] }], properties: ["phone"], limit: 1 });
    expect(seen[1]!.body).toEqual({ properties: { firstname: "Jane", lastname: "Doe", phone: "+15125550181", address: "12 Elm St, Austin TX 78701" } });
    const dealname = `${slug} #${lead.code}: plumbing for Jane Doe`;
    expect(seen[3]!.body).toEqual({
      properties: { dealname, pipeline: "default", dealstage: "appointmentscheduled", description: "Kitchen sink leaking under the cabinet" },
      associations: [{ to: { id: "501" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 3 }] }],
    });

    await t.call("POST", `/api/leads/${lead.id}/close`, { outcome: "booked" });
    await drain();
    expect(seen.slice(4).map((r) => [`${r.method} ${r.path}`, r.body])).toEqual([["PATCH /crm/v3/objects/deals/9001", { properties: { dealstage: "closedwon" } }]]);

    const timeline = (await t.call("GET", `/api/leads/${lead.id}`)).body.events.filter((e: any) => e.type === "webhook_delivered");
    expect(timeline.map((e: any) => [e.detail.webhookId, e.detail.event, e.detail.made])).toEqual([
      ["integration:hubspot", "lead.accepted", { contactId: "501", dealId: "9001" }],
      ["integration:hubspot", "lead.closed", { dealId: "9001", dealstage: "closedwon" }],
    ]);
  });

  test("an existing contact is reused, and a retry after a failed deal creation makes no second contact", async () => {
    const slug = await t.newBusiness((c: any) => (c.integrations = { hubspot: HUBSPOT }));
    const seen = hubspot({ existingContact: "777", failDealCreateOnce: true });
    const lead = (await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550182" }))).body;
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: lead.ownerId });
    await drain();
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /crm/v3/objects/contacts/search",
      "POST /crm/v3/objects/deals/search",
      "POST /crm/v3/objects/deals", // 502
      "POST /crm/v3/objects/deals/search",
      "POST /crm/v3/objects/deals",
    ]);
    expect(seen[4]!.body.associations[0].to.id).toBe("777");
    const [delivery] = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries;
    expect(delivery).toMatchObject({ webhookId: "integration:hubspot", event: "lead.accepted", status: "delivered", attempts: 2, url: API });
  });

  test("the token is masked when read back and kept when the mask is sent back", async () => {
    const slug = await t.newBusiness((c: any) => (c.integrations = { hubspot: HUBSPOT }));
    const shown = (await t.call("GET", `/api/businesses/${slug}`)).body;
    expect(shown.config.integrations.hubspot.accessToken).toBe("********");
    expect(JSON.stringify(shown)).not.toContain(TOKEN);
    expect((await t.call("PUT", `/api/businesses/${slug}`, shown.config)).body).toMatchObject({ changed: false });
  });
});
