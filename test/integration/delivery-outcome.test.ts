import { and, eq } from "drizzle-orm";
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { twilioMessaging } from "../../src/adapters/messaging/twilio.ts";
import { businesses, optOuts, outboundMessages } from "../../src/db/schema/index.ts";
import { deliverMessage } from "../../src/messaging/deliver-message.ts";
import { useTestApp } from "../helpers/harness.ts";
import { ACCOUNT_SID, AUTH_TOKEN, TWILIO_MESSAGES as MESSAGES, useVendorEdge } from "../helpers/vendor-edge.ts";
import { DANA } from "../helpers/twilio.ts";

// What one send comes to, as the outbox sender reports it to whoever wired it (runtime/compose.ts
// hands it to the handoff). Twilio is answered at its HTTP edge; the rows are real.


const created = () =>
  HttpResponse.json(
    { account_sid: ACCOUNT_SID, api_version: "2010-04-01", sid: "SM00000000000000000000000000000c01", status: "queued", to: DANA, from: "+15125550100", uri: "/x" },
    { status: 201 },
  );
const twilioError = (status: number, code: number, message: string) => () =>
  HttpResponse.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status });

describe("the outcome of one send", () => {
  const server = useVendorEdge();
  const t = useTestApp("pglite", () => ({ messaging: twilioMessaging({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseDelayMs: 1, maxRetries: 1 }) }));
  let businessId: string;
  /** Every message create Twilio was asked for. */
  let creates: number;
  const twilioAnswers = (answer: () => Response) => {
    server.use(
      http.post(MESSAGES, () => {
        creates++;
        return answer();
      }),
    );
  };

  beforeEach(async () => {
    server.resetHandlers();
    creates = 0;
    t.clock.set("2026-11-23T15:00:00Z");
    const slug = await t.newBusiness();
    const [business] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug));
    businessId = business!.id;
  });

  /** A queued text to Dana, as a transaction left it. */
  async function queued(values: Partial<typeof outboundMessages.$inferInsert> = {}) {
    const [row] = await t.deps.db
      .insert(outboundMessages)
      .values({
        businessId, memberId: "dana", to: DANA, channel: "sms", body: "New lead 1042", purpose: "offer",
        idempotencyKey: `outcome:${crypto.randomUUID()}`, createdAt: t.clock.now(), updatedAt: t.clock.now(), ...values,
      })
      .returning();
    return row!;
  }
  const statusOf = async (id: string) => (await t.deps.db.select().from(outboundMessages).where(eq(outboundMessages.id, id)))[0]!.status;

  it("a text Twilio took is delivered, with Twilio's status", async () => {
    twilioAnswers(created);
    const row = await queued();
    expect(await deliverMessage(t.deps, row.id)).toEqual({ kind: "delivered", status: "queued" });
    expect(creates).toBe(1);
  });

  it("a text to a number that sent STOP is rejected as opted out, and Twilio is not asked", async () => {
    await t.deps.db.insert(optOuts).values({ businessId, phone: DANA, optedOut: true, keyword: "STOP", updatedAt: t.clock.now() });
    const row = await queued();
    expect(await deliverMessage(t.deps, row.id)).toMatchObject({ kind: "rejected", cause: "opted_out" });
    expect(creates).toBe(0);
    expect(await statusOf(row.id)).toBe("suppressed");
  });

  it("Twilio's 21610 is rejected as opted out, and the opt-out is remembered", async () => {
    twilioAnswers(twilioError(400, 21610, "Attempt to send to unsubscribed recipient"));
    const row = await queued();
    expect(await deliverMessage(t.deps, row.id)).toEqual({ kind: "rejected", cause: "opted_out", reason: "Attempt to send to unsubscribed recipient" });
    const [optOut] = await t.deps.db.select().from(optOuts).where(and(eq(optOuts.businessId, businessId), eq(optOuts.phone, DANA)));
    expect(optOut?.optedOut).toBe(true);
  });

  it("another refusal (invalid number) is rejected as refused, not retried", async () => {
    twilioAnswers(twilioError(400, 21211, "Invalid 'To' Phone Number"));
    const row = await queued();
    expect(await deliverMessage(t.deps, row.id)).toEqual({ kind: "rejected", cause: "refused", reason: "Invalid 'To' Phone Number" });
    expect(await statusOf(row.id)).toBe("failed");
  });

  it("Twilio unavailable is a retry, and the row goes back to the queue", async () => {
    twilioAnswers(twilioError(503, 20500, "Service unavailable"));
    const row = await queued();
    expect(await deliverMessage(t.deps, row.id)).toMatchObject({ kind: "retry" });
    expect(await statusOf(row.id)).toBe("queued");
  });

  it("unavailable on the fifth attempt is dead, and the row failed", async () => {
    twilioAnswers(twilioError(503, 20500, "Service unavailable"));
    const row = await queued({ attempts: 4 });
    expect(await deliverMessage(t.deps, row.id)).toMatchObject({ kind: "dead" });
    expect(await statusOf(row.id)).toBe("failed");
  });

  it("a row already sent is skipped, and nothing is sent", async () => {
    const row = await queued({ status: "sent" });
    expect(await deliverMessage(t.deps, row.id)).toMatchObject({ kind: "skipped" });
    expect(creates).toBe(0);
  });
});
