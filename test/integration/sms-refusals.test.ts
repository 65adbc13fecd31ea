import { beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/harness.ts";
import { messagesOf } from "../helpers/listings.ts";
import { completeLead } from "../helpers/test-app.ts";
import { acceptingMessaging, DANA, postTwilio, sms } from "../helpers/twilio.ts";

// The refusals a verb throws past the command's own visibility check (the lead moved on while it
// still lists the member): each is matched by its class and answered in the member's words.

describe("SMS commands refused by the verb", () => {
  const t = useTestApp("pglite", { messaging: acceptingMessaging() });
  let slug: string;
  beforeEach(async () => {
    t.clock.set("2026-11-23T15:00:00Z");
    slug = await t.newBusiness();
  });

  const offeredToDana = async () => {
    const { body } = await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550200" }));
    expect(body).toMatchObject({ state: "offered", offeredTo: ["dana"] });
    return body;
  };
  const repliesToDana = async () => (await messagesOf(t, slug)).filter((m) => m.purpose === "reply" && m.to === DANA).map((m) => m.body);

  it.each([
    ["ACCEPT 1001", "accept"],
    ["REJECT 1001 no gate code", "reject"],
  ])("%s of a lead closed since it was offered says it isn't waiting, and changes nothing", async (text) => {
    const lead = await offeredToDana();
    expect((await t.call("POST", `/api/leads/${lead.id}/close`, { outcome: "spam" })).status).toBe(200);
    expect(await postTwilio(t, slug, "sms", sms(DANA, text))).toMatchObject({ status: 200 });
    await t.settle();
    expect(await repliesToDana()).toEqual(["Lead 1001 isn't waiting for you. Reply LIST to see your leads."]);
    expect((await t.call("GET", `/api/leads/${lead.id}`)).body).toMatchObject({ state: "closed", outcome: "spam" });
  });
});
