import { http, HttpResponse } from "msw";
import { expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { ConsoleClient } from "../helpers/console-client.ts";
import { systemClock } from "../../src/adapters/clock/clock.ts";
import { sweepEvents } from "../../src/events/event-sweep.ts";
import { ADMIN_TOKEN, completeLead } from "../helpers/test-app.ts";
import { sleep } from "../helpers/wait-for.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

// The console's deliveries page (CONTRACT §13 in the console): the business's outbound event
// deliveries with status, attempts and last error, and a Retry form calling the same verb as
// POST /api/deliveries/:id/retry; for the office only, and only for the business's own deliveries.

const HOOK = "https://hooks.example.com/console-deliveries";
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describeOnBackends("the console's deliveries page on $name", ({ kind }) => {
  const edge = useVendorEdge();
  // The real clock and a short retry schedule, so a failing delivery runs through its retries within the test.
  const t = useTestApp(kind, () => ({
    deps: {
      clock: systemClock,
      settings: {
        publicUrl: "https://gateway.example.com",
        adminToken: ADMIN_TOKEN,
        secrets: {},
        qstash: {},
        outboundEvents: { retryScheduleMs: [20, 20, 20, 20, 20, 20, 20], timeoutMs: 2_000 },
      },
    },
  }));

  /** Sweeps (as the Node loop does) until nothing is pending, waiting out the short schedule. */
  async function sweepUntilSettled(rounds = 60) {
    for (let i = 0; i < rounds; i++) {
      await t.settle();
      await sweepEvents(t.deps);
      const pending = (await t.call("GET", "/api/deliveries?status=pending")).body.deliveries;
      if (!pending.length) return;
      await sleep(30);
    }
    throw new Error("deliveries still pending");
  }

  test("a failing delivery shows its status, attempts and error; Retry sends it again by the API's verb; others' deliveries and non-office members are refused", async () => {
    let answer = 500;
    edge.use(http.post(HOOK, () => new HttpResponse(null, { status: answer })));
    const slug = await t.newBusiness((c: any) => {
      c.webhooks = [{ id: "crm", url: HOOK, secret: SECRET, events: ["lead.created"] }];
      c.team.push({ id: "odin", name: "Odin Office", phone: "+15125550186", roles: ["office_lead"] }, { id: "tess", name: "Tess Tech", phone: "+15125550185", roles: ["technician"] });
    });
    await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550431" }));
    await sweepUntilSettled();
    const [failing] = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries;
    expect(failing).toMatchObject({ event: "lead.created", status: "failed", attempts: 8, lastStatus: 500 });

    const odin = new ConsoleClient(t);
    await odin.signIn("+15125550186");
    const shown = await odin.get("/console/deliveries");
    expect(shown.status).toBe(200);
    const row = new RegExp(`<tr data-delivery="${failing.id}">([\\s\\S]*?)</tr>`).exec(shown.text)?.[1] ?? "";
    const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());
    expect(cells[1]).toBe("lead.created");
    expect(cells[2]).toBe("failed");
    expect(cells[3]).toBe("8");
    expect(cells[4]).toContain("answered 500");
    expect((await odin.get("/console/deliveries?status=delivered")).text).not.toContain(`data-delivery="${failing.id}"`);
    expect((await odin.get("/console/deliveries?status=failed")).text).toContain(`data-delivery="${failing.id}"`);

    // A delivery of another business is as if there were none, and stays as it was.
    const other = await t.newBusiness((c: any) => (c.webhooks = [{ id: "crm", url: HOOK, secret: SECRET, events: ["lead.created"] }]));
    await t.call("POST", "/api/leads", completeLead({ business: other, phone: "+15125550432" }));
    await sweepUntilSettled();
    const [theirs] = (await t.call("GET", `/api/deliveries?business=${other}`)).body.deliveries;
    await odin.get("/console/deliveries");
    expect((await odin.post(`/console/deliveries/${theirs.id}/retry`, {})).status).toBe(404);
    expect((await odin.post(`/console/deliveries/not-a-uuid/retry`, {})).status).toBe(404);
    expect((await t.call("GET", `/api/deliveries?business=${other}`)).body.deliveries[0]).toMatchObject({ attempts: theirs.attempts, status: theirs.status });

    // A technician sees no deliveries page and cannot retry.
    const tess = new ConsoleClient(t);
    await tess.signIn("+15125550185");
    expect((await tess.get("/console/deliveries")).status).toBe(403);
    expect((await tess.post(`/console/deliveries/${failing.id}/retry`, {})).status).toBe(403);

    answer = 204;
    await odin.get("/console/deliveries");
    const retried = await odin.post(`/console/deliveries/${failing.id}/retry`, {});
    expect(retried.status).toBe(303);
    expect(retried.headers.get("location")).toBe("/console/deliveries?done=retry+queued");
    await sweepUntilSettled();
    const after = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries[0];
    expect(after).toMatchObject({ id: failing.id, status: "delivered", lastStatus: 204 });
    const delivered = await odin.get("/console/deliveries?status=delivered");
    expect(delivered.text).toContain(`data-delivery="${failing.id}"`);
  });
});
