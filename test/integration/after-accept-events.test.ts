import { expect, test } from "vitest";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";

// The after-accept changes (CONTRACT §9) are announced as outbound events (§13): a next action
// as lead.next_action, a note as lead.updated, written with the change and listed in the log.

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describeOnBackends("after-accept outbound events on $name", ({ kind }) => {
  const t = useTestApp(kind);

  test("a next action and a note each become an event for the subscriptions that list them", async () => {
    const business = await t.newBusiness((c) => {
      // Nobody listens there: the deliveries stay pending, which is all this test reads.
      (c as any).webhooks = [
        { id: "crm", url: "http://127.0.0.1:9/hook", secret: SECRET, events: ["lead.next_action"] },
        { id: "log", url: "http://127.0.0.1:9/log", secret: SECRET, events: ["lead.updated"] },
      ];
    });
    const lead = (await t.call("POST", "/api/leads", completeLead({ business, phone: "+15125550901" }))).body;
    expect((await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: lead.offeredTo[0] })).status).toBe(200);
    const next = await t.call("POST", `/api/leads/${lead.id}/next-action`, { action: "call to book", dueAt: "2026-11-24T09:00:00-06:00" });
    expect(next.status).toBe(200);
    expect((await t.call("POST", `/api/leads/${lead.id}/notes`, { text: "gate code 4411" })).status).toBe(200);
    await t.settle();

    const { body } = await t.call("GET", `/api/deliveries?business=${business}`);
    const mine = body.deliveries.filter((d: any) => d.payload?.data?.lead?.id === lead.id);
    expect(mine.map((d: any) => [d.webhookId, d.event]).sort()).toEqual([
      ["crm", "lead.next_action"],
      ["log", "lead.updated"],
    ]);
    const announced = mine.find((d: any) => d.event === "lead.next_action");
    expect(announced.payload.data.lead).toMatchObject({ nextAction: "call to book", nextActionDueAt: "2026-11-24T15:00:00.000Z" });
  });
});
