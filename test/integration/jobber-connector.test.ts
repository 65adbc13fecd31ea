import { eq } from "drizzle-orm";
import { HttpResponse } from "msw";
import { expect, test } from "vitest";
import { jobberTokens, businesses } from "../../src/db/schema/index.ts";
import { sweepEvents } from "../../src/events/event-sweep.ts";
import { jobberAuth } from "../../src/events/connectors/jobber-tokens.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { fakeJobber, CLIENT_ID, CLIENT_SECRET, JOBBER, userErrors, type FakeJobberOpts } from "../helpers/jobber-edge.ts";
import { completeLead } from "../helpers/test-app.ts";
import { useVendorEdge } from "../helpers/vendor-edge.ts";

const jobberConfig = (seed: string) => ({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: seed });

describeOnBackends("the Jobber connector on $name", ({ kind }) => {
  const edge = useVendorEdge();
  const t = useTestApp(kind, () => ({
    deps: {
      settings: { publicUrl: "https://gateway.example.com", adminToken: "test-admin-token", secrets: {}, qstash: {}, outboundEvents: { retryScheduleMs: [0, 0, 0, 0, 0, 0, 0] } },
    },
  }));
  let seeds = 0;

  /** A business connected to Jobber with a refresh token of its own, and Jobber answering for it. */
  async function connected(opts: Omit<FakeJobberOpts, "seed" | "clock"> = {}) {
    const seed = `rt-seed-${kind}-${++seeds}`;
    const slug = await t.newBusiness((c: any) => (c.integrations = { jobber: jobberConfig(seed) }));
    const jobber = fakeJobber(edge, { seed, clock: t.clock, ...opts });
    const [business] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug));
    return { slug, seed, jobber, businessId: business!.id };
  }

  async function acceptedLead(slug: string, phone: string) {
    const lead = (await t.call("POST", "/api/leads", completeLead({ business: slug, phone }))).body;
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: lead.ownerId });
    return lead;
  }

  async function drain() {
    for (let i = 0; i < 10; i++) {
      await t.settle();
      await sweepEvents(t.deps);
    }
    await t.settle();
  }

  const storedTokens = async (businessId: string) => (await t.deps.db.select().from(jobberTokens).where(eq(jobberTokens.businessId, businessId)))[0];

  test("an accepted lead becomes a client and a request, asked for exactly as Jobber documents; closing it lost notes it and archives the request", async () => {
    const { slug, seed, jobber, businessId } = await connected();
    const lead = (await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550191" }))).body;
    await drain();
    expect(jobber.tokenRequests).toEqual([]); // created and offered are not the connector's events
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: lead.ownerId });
    await drain();

    expect(jobber.tokenRequests).toEqual([
      { contentType: "application/x-www-form-urlencoded", form: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: "refresh_token", refresh_token: seed }, status: 200 },
    ]);
    const access = [...jobber.access.keys()][0]!;
    expect(jobber.calls.map((c) => c.operation)).toEqual(["FindClientByPhone", "CreateClient", "CreateRequest", "NoteOnRequest"]);
    for (const call of jobber.calls) expect([call.auth, call.version, call.contentType]).toEqual([`Bearer ${access}`, "2025-04-16", "application/json"]);
    expect(jobber.calls.map((c) => c.variables)).toEqual([
      { searchTerm: "+15125550191" },
      {
        input: {
          firstName: "Jane",
          lastName: "Doe",
          phones: [{ number: "+15125550191", primary: true, description: "MAIN" }],
          properties: [{ address: { street1: "12 Elm St, Austin TX 78701" } }],
        },
      },
      { input: { clientId: "Z2lkOi8vSm9iYmVyL0NsaWVudC81", title: `Plumbing (Handoff #${lead.code})` } },
      {
        requestId: "Z2lkOi8vSm9iYmVyL1JlcXVlc3Qv1",
        input: { message: "Kitchen sink leaking under the cabinet\nPromised next step: Call back to book a visit\nUrgency: standard\nSource: website" },
      },
    ]);

    await t.call("POST", `/api/leads/${lead.id}/close`, { outcome: "lost" });
    await drain();
    expect(jobber.calls.slice(4).map((c) => [c.operation, c.variables])).toEqual([
      ["NoteOnRequest", { requestId: "Z2lkOi8vSm9iYmVyL1JlcXVlc3Qv1", input: { message: "Closed in Handoff as lost. The request is archived." } }],
      ["ArchiveRequest", { requestId: "Z2lkOi8vSm9iYmVyL1JlcXVlc3Qv1" }],
    ]);
    expect(jobber.tokenRequests).toHaveLength(1); // the access token was still good

    const timeline = (await t.call("GET", `/api/leads/${lead.id}`)).body.events.filter((e: any) => e.type === "webhook_delivered");
    expect(timeline.map((e: any) => [e.detail.webhookId, e.detail.event, e.detail.made])).toEqual([
      ["integration:jobber", "lead.accepted", { clientId: "Z2lkOi8vSm9iYmVyL0NsaWVudC81", requestId: "Z2lkOi8vSm9iYmVyL1JlcXVlc3Qv1" }],
      ["integration:jobber", "lead.closed", { requestId: "Z2lkOi8vSm9iYmVyL1JlcXVlc3Qv1", closedAs: "lost", archived: "true" }],
    ]);
    const deliveries = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries;
    expect(deliveries.map((d: any) => [d.webhookId, d.event, d.status, d.url])).toEqual([
      ["integration:jobber", "lead.closed", "delivered", `${JOBBER}/api/graphql`],
      ["integration:jobber", "lead.accepted", "delivered", `${JOBBER}/api/graphql`],
    ]);
    // The rotated refresh token replaced the seed.
    expect((await storedTokens(businessId))!.refreshToken).toBe(jobber.liveRefresh);
    expect(jobber.liveRefresh).not.toBe(seed);
  });

  test("a client with the lead's phone is reused, and closing the lead booked leaves the request open with a note", async () => {
    const { slug, jobber } = await connected({ existingClient: { id: "Z2lkOi8vSm9iYmVyL0NsaWVudC85OQ", phone: "+15125550182" } });
    const lead = await acceptedLead(slug, "+15125550182");
    await drain();
    expect(jobber.calls.map((c) => c.operation)).toEqual(["FindClientByPhone", "ClientRequests", "CreateRequest", "NoteOnRequest"]);
    expect(jobber.calls[1]!.variables).toEqual({ clientId: "Z2lkOi8vSm9iYmVyL0NsaWVudC85OQ" });
    expect(jobber.calls[2]!.variables.input.clientId).toBe("Z2lkOi8vSm9iYmVyL0NsaWVudC85OQ");
    expect(jobber.clients).toBe(0);

    await t.call("POST", `/api/leads/${lead.id}/close`, { outcome: "booked" });
    await drain();
    expect(jobber.calls.slice(4).map((c) => [c.operation, c.variables.input?.message])).toEqual([["NoteOnRequest", "Closed in Handoff as booked."]]);
  });

  test("tokens rotate: the stored refresh token changes on every refresh, an expired access token is refreshed with the newest one, and a spent one is never sent again", async () => {
    const { slug, seed, jobber, businessId } = await connected();
    await acceptedLead(slug, "+15125550193");
    await drain();
    const first = await storedTokens(businessId);
    expect(first!.refreshToken).not.toBe(seed);

    t.clock.advance(2 * 3600_000); // the access token has expired
    await acceptedLead(slug, "+15125550194");
    await drain();
    const second = await storedTokens(businessId);
    expect(jobber.tokenRequests.map((r) => [r.form.refresh_token, r.status])).toEqual([
      [seed, 200],
      [first!.refreshToken, 200],
    ]);
    expect(second!.refreshToken).not.toBe(first!.refreshToken);
    expect(second!.refreshToken).toBe(jobber.liveRefresh);
    // Every call after the refresh carried the new access token, none the expired one.
    const lastAccess = second!.accessToken!;
    expect(jobber.calls.slice(4).every((c) => c.auth === `Bearer ${lastAccess}`)).toBe(true);
  });

  test("an access token Jobber answers 401 to is refreshed once and the call made again with the new one", async () => {
    const { slug, jobber, businessId } = await connected();
    await acceptedLead(slug, "+15125550195");
    await drain();
    const revoked = (await storedTokens(businessId))!.accessToken!;
    jobber.revoked.add(revoked);
    await acceptedLead(slug, "+15125550196");
    await drain();
    const fresh = (await storedTokens(businessId))!.accessToken!;
    expect(fresh).not.toBe(revoked);
    expect(jobber.tokenRequests.map((r) => r.status)).toEqual([200, 200]);
    const second = jobber.calls.slice(4);
    expect(second.map((c) => [c.operation, c.auth])).toEqual([
      ["FindClientByPhone", `Bearer ${revoked}`], // 401
      ["FindClientByPhone", `Bearer ${fresh}`],
      ["CreateClient", `Bearer ${fresh}`],
      ["CreateRequest", `Bearer ${fresh}`],
      ["NoteOnRequest", `Bearer ${fresh}`],
    ]);
  });

  test("a refresh Jobber refuses fails the attempt with Jobber's reason; a new refresh token in the config starts the chain over from it", async () => {
    const { slug, seed, jobber, businessId } = await connected();
    jobber.liveRefresh = "rt-after-reconnecting"; // the app was disconnected and connected again
    const lead = await acceptedLead(slug, "+15125550198");
    await t.settle();
    const [pending] = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries;
    expect(pending).toMatchObject({ status: "pending", attempts: 1, lastStatus: 400, lastError: "Jobber token refresh answered 400: The provided refresh token is not valid." });
    expect(jobber.calls).toEqual([]);
    expect((await storedTokens(businessId))!.refreshToken).toBe(seed);

    const shown = (await t.call("GET", `/api/businesses/${slug}`)).body.config;
    shown.integrations.jobber.refreshToken = "rt-after-reconnecting";
    expect((await t.call("PUT", `/api/businesses/${slug}`, shown)).status).toBe(200);
    await drain();
    expect(jobber.tokenRequests.map((r) => [r.form.refresh_token, r.status])).toEqual([
      [seed, 400],
      ["rt-after-reconnecting", 200],
    ]);
    expect((await storedTokens(businessId))!.refreshToken).toBe(jobber.liveRefresh);
    const events = (await t.call("GET", `/api/leads/${lead.id}`)).body.events.filter((e: any) => e.type === "webhook_delivered");
    expect(events.map((e: any) => e.detail.event)).toEqual(["lead.accepted"]);
  });

  test("attempts racing for a token refresh spend the refresh token once; every one of them gets the new access token", async () => {
    const { businessId, seed, jobber } = await connected({ tokenDelayMs: 150 });
    const [business] = await t.deps.db.select().from(businesses).where(eq(businesses.id, businessId));
    const config = business!.config.integrations!.jobber!;
    const auths = Array.from({ length: 6 }, () => jobberAuth(t.deps, businessId, config, { timeoutMs: 5_000 }));
    const tokens = await Promise.all(auths.map((a) => a.token()));
    expect(jobber.tokenRequests.map((r) => [r.form.refresh_token, r.status])).toEqual([[seed, 200]]);
    expect(new Set(tokens)).toEqual(new Set([...jobber.access.keys()]));
  });

  test("two sweepers at once with Jobber's deliveries waiting refresh the token once between them", async () => {
    let tokensOpen = false;
    const { slug, seed, jobber } = await connected({
      tokenDelayMs: 100,
      tokenOverride: () => (tokensOpen ? undefined : HttpResponse.json({ message: "Service temporarily unavailable" }, { status: 503 })),
    });
    for (const phone of ["+15125550201", "+15125550202", "+15125550203"]) await acceptedLead(slug, phone);
    await t.settle(); // each first attempt fails at the token endpoint and waits for its retry
    const failed = jobber.tokenRequests.length;
    expect(failed).toBeGreaterThanOrEqual(1);
    expect(jobber.tokenRequests.every((r) => r.status === 503 && r.form.refresh_token === seed)).toBe(true);

    tokensOpen = true;
    await Promise.all([sweepEvents(t.deps), sweepEvents(t.deps)]);
    await drain();
    const granted = jobber.tokenRequests.slice(failed);
    expect(granted.map((r) => [r.form.refresh_token, r.status])).toEqual([[seed, 200]]);
    expect(jobber.calls.filter((c) => c.operation === "CreateRequest")).toHaveLength(3);
    const deliveries = (await t.call("GET", `/api/deliveries?business=${slug}&status=delivered`)).body.deliveries;
    expect(deliveries.filter((d: any) => d.event === "lead.accepted")).toHaveLength(3);
  });

  test("a retry after a failed request creation makes no second client, and a request whose answer was lost is found, not made again", async () => {
    const { slug, jobber } = await connected({
      override: (op, n) => (op === "CreateRequest" && n === 1 ? HttpResponse.json({ message: "Service temporarily unavailable" }, { status: 503 }) : op === "CreateRequest" && n === 2 ? "lost" : undefined),
    });
    await acceptedLead(slug, "+15125550197");
    await drain();
    expect(jobber.calls.map((c) => c.operation)).toEqual([
      "FindClientByPhone",
      "CreateClient",
      "CreateRequest", // 503
      "ClientRequests",
      "CreateRequest", // made, answer lost (504)
      "ClientRequests", // finds it by its title
      "NoteOnRequest",
    ]);
    expect(jobber.clients).toBe(1);
    expect(jobber.requests).toHaveLength(1);
    const [delivery] = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries;
    expect(delivery).toMatchObject({ webhookId: "integration:jobber", event: "lead.accepted", status: "delivered", attempts: 3 });
  });

  test("the client secret and refresh token are masked when read back and kept when the mask is sent back; an incomplete Jobber config is refused", async () => {
    const { slug, seed } = await connected();
    const shown = (await t.call("GET", `/api/businesses/${slug}`)).body;
    expect(shown.config.integrations.jobber).toMatchObject({ clientId: CLIENT_ID, clientSecret: "********", refreshToken: "********", apiVersion: "2025-04-16" });
    expect(JSON.stringify(shown)).not.toContain(CLIENT_SECRET);
    expect(JSON.stringify(shown)).not.toContain(seed);
    expect((await t.call("PUT", `/api/businesses/${slug}`, shown.config)).body).toMatchObject({ changed: false });

    const broken = structuredClone(shown.config);
    delete broken.integrations.jobber.clientSecret;
    broken.integrations.jobber.apiVersion = "latest";
    const res = await t.call("PUT", `/api/businesses/${slug}`, broken);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path).sort()).toEqual(["integrations.jobber.apiVersion", "integrations.jobber.clientSecret"]);
  });
});

describeOnBackends("Jobber failures on $name", ({ kind }) => {
  const edge = useVendorEdge();
  // Two retries, 5 s and 5 min after: three attempts in all.
  const t = useTestApp(kind, () => ({
    deps: {
      settings: { publicUrl: "https://gateway.example.com", adminToken: "test-admin-token", secrets: {}, qstash: {}, outboundEvents: { retryScheduleMs: [5_000, 300_000] } },
    },
  }));
  let seeds = 0;

  async function setUp(override: FakeJobberOpts["override"]) {
    const seed = `rt-fail-${kind}-${++seeds}`;
    const slug = await t.newBusiness((c: any) => (c.integrations = { jobber: jobberConfig(seed) }));
    const jobber = fakeJobber(edge, { seed, clock: t.clock, override });
    const lead = (await t.call("POST", "/api/leads", completeLead({ business: slug, phone: `+1512555030${seeds}` }))).body;
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: lead.ownerId });
    await t.settle();
    const delivery = async () => (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries[0];
    return { jobber, lead, delivery };
  }

  test("a userErrors answer is a failed attempt, shown in the delivery log and retried on the schedule until Jobber takes it", async () => {
    const refusal = () => userErrors("clientCreate", "client", "Phone number is invalid", ["phones", "0", "number"]);
    const { jobber, lead, delivery } = await setUp((op, n) => (op === "CreateClient" && n <= 2 ? refusal() : undefined));
    const first = await delivery();
    expect(first).toMatchObject({ status: "pending", attempts: 1, lastStatus: 200, lastError: "Jobber clientCreate refused: phones.0.number: Phone number is invalid" });
    expect(new Date(first.nextAttemptAt).getTime() - t.clock.now().getTime()).toBe(5_000);

    await sweepEvents(t.deps); // not due yet
    expect((await delivery()).attempts).toBe(1);
    t.clock.advance(5_000);
    await sweepEvents(t.deps);
    const second = await delivery();
    expect(second).toMatchObject({ status: "pending", attempts: 2, lastError: expect.stringContaining("Phone number is invalid") });
    expect(new Date(second.nextAttemptAt).getTime() - t.clock.now().getTime()).toBe(300_000);
    t.clock.advance(300_000);
    await sweepEvents(t.deps);
    await t.settle();
    expect(await delivery()).toMatchObject({ status: "delivered", attempts: 3, lastError: null });
    expect(jobber.calls.filter((c) => c.operation === "CreateClient")).toHaveLength(3);
    const made = (await t.call("GET", `/api/leads/${lead.id}`)).body.events.filter((e: any) => e.type === "webhook_delivered");
    expect(made.map((e: any) => e.detail.attempts)).toEqual([3]);
    const attempts = (await t.call("GET", `/api/leads/${lead.id}`)).body.events.filter((e: any) => e.type === "connector_attempt_failed");
    expect(attempts.map((e: any) => [e.detail.webhookId, e.detail.attempts, e.detail.status, e.detail.error])).toEqual([
      ["integration:jobber", 1, 200, "Jobber clientCreate refused: phones.0.number: Phone number is invalid"],
      ["integration:jobber", 2, 200, "Jobber clientCreate refused: phones.0.number: Phone number is invalid"],
    ]);
    expect(attempts.map((e: any) => e.detail.nextAttemptAt)).toEqual([first.nextAttemptAt, second.nextAttemptAt]);
  });

  test("a pending delivery whose Jobber connector was taken out of the config fails at once instead of waiting out the schedule", async () => {
    const { jobber, lead, delivery } = await setUp((op) => (op === "CreateClient" ? HttpResponse.json({ message: "Service temporarily unavailable" }, { status: 503 }) : undefined));
    expect(await delivery()).toMatchObject({ status: "pending", attempts: 1, lastStatus: 503 });
    const slug = lead.business;
    const shown = (await t.call("GET", `/api/businesses/${slug}`)).body.config;
    delete shown.integrations.jobber;
    expect((await t.call("PUT", `/api/businesses/${slug}`, shown)).status).toBe(200);
    t.clock.advance(5_000);
    await sweepEvents(t.deps);
    expect(await delivery()).toMatchObject({ status: "failed", attempts: 2, lastError: '"integration:jobber" is no longer in the business config' });
    expect(jobber.calls.filter((c) => c.operation === "CreateClient")).toHaveLength(1);
    // Closing the lead now writes no Jobber delivery at all.
    await t.call("POST", `/api/leads/${lead.id}/close`, { outcome: "lost" });
    await t.settle();
    expect((await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries).toHaveLength(1);
  });

  test("Jobber answering 5xx is retried on the schedule and, when it is spent, the delivery fails with the lead's timeline saying why", async () => {
    const { jobber, lead, delivery } = await setUp((op) => (op === "CreateRequest" ? HttpResponse.json({ message: "Service temporarily unavailable" }, { status: 503 }) : undefined));
    expect(await delivery()).toMatchObject({ status: "pending", attempts: 1, lastStatus: 503, lastError: expect.stringContaining("Jobber requestCreate answered 503") });
    t.clock.advance(5_000);
    await sweepEvents(t.deps);
    expect(await delivery()).toMatchObject({ status: "pending", attempts: 2, lastStatus: 503 });
    t.clock.advance(300_000);
    await sweepEvents(t.deps);
    await t.settle();
    expect(await delivery()).toMatchObject({ status: "failed", attempts: 3, lastStatus: 503 });
    expect(jobber.calls.filter((c) => c.operation === "CreateClient")).toHaveLength(1); // stored after the first attempt
    expect(jobber.calls.filter((c) => c.operation === "CreateRequest")).toHaveLength(3);
    const events = (await t.call("GET", `/api/leads/${lead.id}`)).body.events;
    expect(events.filter((e: any) => e.type === "connector_attempt_failed").map((e: any) => [e.detail.attempts, e.detail.status])).toEqual([
      [1, 503],
      [2, 503],
    ]);
    const failed = events.filter((e: any) => e.type === "webhook_failed");
    expect(failed.map((e: any) => e.detail)).toEqual([
      expect.objectContaining({ webhookId: "integration:jobber", event: "lead.accepted", attempts: 3, status: 503, error: expect.stringContaining("Service temporarily unavailable") }),
    ]);
  });
});

describeOnBackends("a slow Jobber on $name", ({ kind }) => {
  const edge = useVendorEdge();
  // Each call may take 1 s; one attempt's calls get 3 s together (connectorBudgetMs).
  const t = useTestApp(kind, () => ({
    deps: {
      settings: { publicUrl: "https://gateway.example.com", adminToken: "test-admin-token", secrets: {}, qstash: {}, outboundEvents: { retryScheduleMs: [0], timeoutMs: 1_000 } },
    },
  }));

  test("an attempt's calls share one budget: one too slow to finish them all in it stops, keeps what it made, and the retry continues", async () => {
    const seed = `rt-slow-${kind}`;
    const slug = await t.newBusiness((c: any) => (c.integrations = { jobber: jobberConfig(seed) }));
    // Every call answers within its own 1 s; the four an accepted lead needs take 3.2 s.
    const jobber = fakeJobber(edge, { seed, clock: t.clock, graphqlDelayMs: 800 });
    const lead = (await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550501" }))).body;
    await t.call("POST", `/api/leads/${lead.id}/accept`, { memberId: lead.ownerId });
    await t.settle();
    const [first] = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries;
    expect(first).toMatchObject({ status: "pending", attempts: 1, lastStatus: null, lastError: expect.stringContaining("the attempt ran out of the time its calls get together") });
    expect(jobber.calls.slice(0, 2).map((c) => c.operation)).toEqual(["FindClientByPhone", "CreateClient"]);

    await sweepEvents(t.deps);
    await t.settle();
    const [second] = (await t.call("GET", `/api/deliveries?business=${slug}`)).body.deliveries;
    expect(second).toMatchObject({ status: "delivered", attempts: 2 });
    expect(jobber.clients).toBe(1);
    expect(jobber.requests).toHaveLength(1);
  }, 20_000);
});
