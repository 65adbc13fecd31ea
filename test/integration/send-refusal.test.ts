import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { SendRejectedError, SendUnavailableError, type Messaging } from "../../src/adapters/messaging/messaging.ts";
import { businesses, optOuts, outboundMessages } from "../../src/db/schema/index.ts";
import { deliverMessage } from "../../src/messaging/deliver-message.ts";
import { useTestApp } from "../helpers/harness.ts";
import { DANA } from "../helpers/twilio.ts";

// How the outbox sender reads a failed send: by the messaging port's error classes, whatever
// provider stands behind the port. The provider here is a port implementation that fails the way
// it is told (Twilio's own mapping of its HTTP answers is tested in twilio-messaging.test.ts).

describe("a send the provider refused, read by its class", () => {
  let businessId: string;
  let failWith: () => unknown;
  const provider: Messaging = {
    name: "refusing",
    send: async () => {
      throw failWith();
    },
  };

  const t = useTestApp("pglite", { messaging: provider });
  beforeEach(async () => {
    const slug = await t.newBusiness();
    const [business] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug));
    businessId = business!.id;
  });

  async function queued() {
    const [row] = await t.deps.db
      .insert(outboundMessages)
      .values({
        businessId, memberId: "dana", to: DANA, channel: "sms", body: "New lead 1042", purpose: "offer",
        idempotencyKey: `refusal:${crypto.randomUUID()}`, createdAt: t.clock.now(), updatedAt: t.clock.now(),
      })
      .returning();
    return row!;
  }
  const rowOf = async (id: string) => (await t.deps.db.select().from(outboundMessages).where(eq(outboundMessages.id, id)))[0]!;

  it("a provider that says the recipient opted out (in its own code) is heard: suppressed and remembered", async () => {
    failWith = () => new SendRejectedError("recipient unsubscribed", { status: 403, code: 4711, optedOut: true });
    const row = await queued();
    expect(await deliverMessage(t.deps, row.id)).toMatchObject({ kind: "rejected", cause: "opted_out" });
    expect((await rowOf(row.id)).status).toBe("suppressed");
    const [optOut] = await t.deps.db.select().from(optOuts).where(and(eq(optOuts.businessId, businessId), eq(optOuts.phone, DANA)));
    expect(optOut?.optedOut).toBe(true);
  });

  it("any other refusal fails the row for good", async () => {
    failWith = () => new SendRejectedError("invalid number", { status: 400, code: 21211 });
    const row = await queued();
    expect(await deliverMessage(t.deps, row.id)).toMatchObject({ kind: "rejected", cause: "refused", reason: "invalid number" });
    expect((await rowOf(row.id)).status).toBe("failed");
  });

  it("an error merely named SendRejectedError is not a refusal: the send is retried", async () => {
    failWith = () => Object.assign(new Error("socket hang up"), { name: "SendRejectedError", permanent: true });
    const row = await queued();
    expect(await deliverMessage(t.deps, row.id)).toMatchObject({ kind: "retry", reason: "socket hang up" });
    expect((await rowOf(row.id)).status).toBe("sending");
  });

  it("a provider still busy after its retries puts the row back in the queue", async () => {
    failWith = () => new SendUnavailableError("still 503", { status: 503, code: null, attempts: 3 });
    const row = await queued();
    expect(await deliverMessage(t.deps, row.id)).toMatchObject({ kind: "retry", reason: "still 503" });
    expect((await rowOf(row.id)).status).toBe("queued");
  });
});
