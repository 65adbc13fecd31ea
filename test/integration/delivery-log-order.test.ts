import { http, HttpResponse } from "msw";
import { expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

const HOOK = "https://hooks.example.com/handoff";
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describeOnBackends("the delivery log's order on $name", ({ kind }) => {
  const edge = useVendorEdge();
  const t = useTestApp(kind);

  test("events one change wrote at the same instant are listed newest first by the order they were written, and pages follow it", async () => {
    edge.use(http.post(HOOK, () => new HttpResponse(null, { status: 204 })));
    const slug = await t.newBusiness((c: any) => (c.webhooks = [{ id: "crm", url: HOOK, secret: SECRET, events: ["lead.created", "lead.offered", "lead.accepted"] }]));
    // A complete lead is created and offered in one transaction; both events carry the same time.
    for (const phone of ["+15125550401", "+15125550402"]) await t.call("POST", "/api/leads", completeLead({ business: slug, phone }));
    await t.settle();
    const all = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries;
    const shown = all.map((d: any) => [d.payload.data.lead.phone, d.event]);
    expect(shown).toEqual([
      ["+15125550402", "lead.offered"],
      ["+15125550402", "lead.created"],
      ["+15125550401", "lead.offered"],
      ["+15125550401", "lead.created"],
    ]);
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await t.call("GET", `/api/deliveries?business=${slug}&limit=1${cursor ? `&cursor=${cursor}` : ""}`)).body;
      paged.push(...page.deliveries.map((d: any) => [d.payload.data.lead.phone, d.event]));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(shown);
  });
});
