import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { apiKeys } from "../../src/db/schema/index.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";

// Per-business API keys of CONTRACT §11: shown once and stored hashed, reaching only their
// business on every route that lets keys in (a business named, a path slug, a body's business,
// a lead by code or by id, a delivery), refused on the operator's routes, dead once revoked.

let phones = 0;
const newPhone = () => `+1512556${String(1000 + ++phones).padStart(4, "0")}`;

describeOnBackends("API keys on $name", ({ kind }) => {
  const t = useTestApp(kind);

  /** A request with `token` as the Bearer; JSON in, { status, body } out. */
  async function as(token: string, method: string, path: string, body?: unknown) {
    const res = await t.app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async function keyFor(slug: string, name = "agency") {
    const res = await t.call("POST", `/api/businesses/${slug}/keys`, { name });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; key: string; prefix: string };
  }

  /** Two businesses, each with a lead, and a key of the first. */
  async function twoBusinesses() {
    const own = await t.newBusiness();
    const other = await t.newBusiness();
    const mine = await t.call("POST", "/api/leads", completeLead({ business: own, phone: newPhone() }));
    const theirs = await t.call("POST", "/api/leads", completeLead({ business: other, phone: newPhone() }));
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    return { own, other, mine: mine.body, theirs: theirs.body, key: (await keyFor(own)).key };
  }

  test("a key is shown once, stored only as its SHA-256, and listed by name and prefix", async () => {
    const slug = await t.newBusiness();
    const made = await keyFor(slug, "CRM sync");
    expect(made.key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect(made.key.startsWith(made.prefix)).toBe(true);

    const [row] = await t.deps.db.select().from(apiKeys).where(eq(apiKeys.id, made.id));
    expect(row!.keyHash).toBe(createHash("sha256").update(made.key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(made.key);

    const list = await t.call("GET", `/api/businesses/${slug}/keys`);
    expect(list.body.keys).toEqual([{ id: made.id, name: "CRM sync", prefix: made.prefix, createdAt: expect.any(String), lastUsedAt: null }]);
    expect(JSON.stringify(list.body)).not.toContain(made.key);
  });

  test("within its business a key lists, reads and acts on leads, the business implied where optional", async () => {
    const { own, mine, theirs, key } = await twoBusinesses();
    const listed = await as(key, "GET", "/api/leads");
    expect(listed.status).toBe(200);
    expect(listed.body.leads.map((l: any) => l.id)).toEqual([mine.id]);
    expect(listed.body.leads.map((l: any) => l.id)).not.toContain(theirs.id);

    expect((await as(key, "GET", `/api/leads/${own}:${mine.code}`)).status).toBe(200);
    expect((await as(key, "GET", `/api/leads/${mine.id}`)).status).toBe(200);
    const accepted = await as(key, "POST", `/api/leads/${mine.id}/accept`, { memberId: mine.offeredTo[0] });
    expect(accepted).toMatchObject({ status: 200, body: { state: "accepted" } });

    const created = await as(key, "POST", "/api/leads", completeLead({ business: undefined, phone: newPhone() }));
    expect(created).toMatchObject({ status: 201, body: { business: own } });
    const messages = await as(key, "GET", "/api/messages");
    expect(messages.status).toBe(200);
    expect(new Set(messages.body.messages.map((m: any) => m.leadId))).not.toContain(theirs.id);
    expect((await as(key, "GET", "/api/reviews/end-of-day")).status).toBe(200);
  });

  test("another business is out of reach whichever way a request names it", async () => {
    const { other, theirs, key } = await twoBusinesses();
    const forbidden = [
      await as(key, "GET", `/api/leads?business=${other}`),
      await as(key, "GET", `/api/messages?business=${other}`),
      await as(key, "GET", `/api/businesses/${other}`),
      await as(key, "GET", `/api/businesses/${other}/on-call`),
      await as(key, "GET", `/api/leads/${other}:${theirs.code}`),
      await as(key, "POST", `/api/leads/${other}:${theirs.code}/close`, { outcome: "spam" }),
      await as(key, "POST", "/api/leads", completeLead({ business: other, phone: newPhone() })),
      // Even a business that does not exist: a key never learns which do.
      await as(key, "GET", "/api/leads?business=no-such-business"),
    ];
    for (const res of forbidden) expect(res).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect(forbidden[0]!.body.error.message).toContain(`cannot reach business "${other}"`);

    // By id, another business's lead is as if there were none.
    expect((await as(key, "GET", `/api/leads/${theirs.id}`)).status).toBe(404);
    expect((await as(key, "POST", `/api/leads/${theirs.id}/accept`, { memberId: theirs.offeredTo[0] })).status).toBe(404);
    expect((await as(key, "GET", `/api/messages?lead=${theirs.id}`)).status).toBe(404);

    // Nothing was done to it.
    const after = await t.call("GET", `/api/leads/${theirs.id}`);
    expect(after.body.state).toBe("offered");
    expect((await t.call("GET", `/api/leads?business=${other}`)).body.leads).toHaveLength(1);
  });

  test("a key cannot apply config or manage keys: 403 before the body is read", async () => {
    const { own, key } = await twoBusinesses();
    const before = await t.call("GET", `/api/businesses/${own}`);
    const refused = [
      await as(key, "PUT", `/api/businesses/${own}`, { ...before.body.config, name: "Taken over" }),
      await as(key, "POST", `/api/businesses/${own}/keys`, { name: "another" }),
      await as(key, "GET", `/api/businesses/${own}/keys`),
      await as(key, "DELETE", `/api/businesses/${own}/keys/00000000-0000-4000-8000-000000000000`),
      await as(key, "PUT", `/api/businesses/${own}`, "not even json"),
    ];
    for (const res of refused) expect(res).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect(refused[0]!.body.error.message).toContain("only the operator's ADMIN_TOKEN");
    expect((await t.call("GET", `/api/businesses/${own}`)).body.version).toBe(before.body.version);
    expect((await t.call("GET", `/api/businesses/${own}/keys`)).body.keys).toHaveLength(1);
  });

  test("a revoked key is refused from the next request on; revoking twice, or by another business, is 404", async () => {
    const own = await t.newBusiness();
    const other = await t.newBusiness();
    const made = await keyFor(own);
    expect((await as(made.key, "GET", "/api/leads")).status).toBe(200);

    expect((await t.call("DELETE", `/api/businesses/${other}/keys/${made.id}`)).status).toBe(404);
    expect((await as(made.key, "GET", "/api/leads")).status).toBe(200);

    const revoked = await t.app.request(`/api/businesses/${own}/keys/${made.id}`, { method: "DELETE", headers: { authorization: "Bearer test-admin-token" } });
    expect(revoked.status).toBe(204);
    expect(await revoked.text()).toBe("");
    expect(await as(made.key, "GET", "/api/leads")).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect((await t.call("DELETE", `/api/businesses/${own}/keys/${made.id}`)).status).toBe(404);
    expect((await t.call("GET", `/api/businesses/${own}/keys`)).body.keys).toEqual([]);
  });

  test("a key that was never made is 401, however it looks", async () => {
    const slug = await t.newBusiness();
    const made = await keyFor(slug);
    for (const token of ["hk_" + "A".repeat(43), made.key.slice(0, -1), made.key + "x", made.prefix]) {
      expect((await as(token, "GET", "/api/leads")).status).toBe(401);
    }
  });

  test("lastUsedAt follows use, written at most once a minute", async () => {
    const slug = await t.newBusiness();
    const made = await keyFor(slug);
    await as(made.key, "GET", "/api/leads");
    const first = (await t.call("GET", `/api/businesses/${slug}/keys`)).body.keys[0].lastUsedAt;
    expect(first).toBe(t.clock.now().toISOString());
    t.clock.advance(30_000);
    await as(made.key, "GET", "/api/leads");
    expect((await t.call("GET", `/api/businesses/${slug}/keys`)).body.keys[0].lastUsedAt).toBe(first);
    t.clock.advance(31_000);
    await as(made.key, "GET", "/api/leads");
    expect((await t.call("GET", `/api/businesses/${slug}/keys`)).body.keys[0].lastUsedAt).toBe(t.clock.now().toISOString());
  });

  test("a key retries only its own business's deliveries", async () => {
    const hook = (c: any) => {
      c.webhooks = [{ id: "nobody-home", url: "http://127.0.0.1:9/hooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", events: ["lead.created"] }];
    };
    const own = await t.newBusiness(hook);
    const other = await t.newBusiness(hook);
    for (const business of [own, other]) expect((await t.call("POST", "/api/leads", completeLead({ business, phone: newPhone() }))).status).toBe(201);
    await t.settle();
    const key = (await keyFor(own)).key;
    const mine = (await as(key, "GET", "/api/deliveries")).body.deliveries;
    expect(mine.map((d: any) => d.business)).toEqual([own]);
    const theirs = (await t.call("GET", `/api/deliveries?business=${other}`)).body.deliveries[0];
    expect((await as(key, "POST", `/api/deliveries/${theirs.id}/retry`)).status).toBe(404);
    expect((await as(key, "POST", `/api/deliveries/${mine[0].id}/retry`)).status).toBe(200);
  });
});
