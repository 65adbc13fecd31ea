import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { businesses } from "../../src/db/schema/index.ts";
import { demoInput } from "../helpers/demo-config.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { completeLead } from "../helpers/test-app.ts";

const pathsOf = (res: { body: any }) => res.body.error.details.map((d: any) => d.path);

describeOnBackends("applying business configs on $name", ({ kind }) => {
  const t = useTestApp(kind);

  /** PUTs a demo config under a fresh slug, changed by `change` first. */
  const put = (slug: string, change: (c: any) => void = () => {}) => {
    const config: any = demoInput();
    config.slug = slug;
    change(config);
    return t.call("PUT", `/api/businesses/${slug}`, config);
  };

  test("a config with out-of-range durations, never-matching values and unknown keys is refused whole, every problem by path", async () => {
    const before = await t.call("GET", "/api/businesses/acme");
    const bad: any = { ...before.body.config };
    bad.dedupeWindow = "99999999999d";
    bad.escalation = { ...bad.escalation, standard: { ...bad.escalation.standard, acceptWithin: "366d" } };
    bad.routing = [{ match: { urgency: ["urgent"], leadType: ["quote"] }, to: { role: "sales" } }, ...bad.routing];
    bad.team = [{ ...bad.team[0], phoen: "+15125550111" }, ...bad.team.slice(1)];
    bad.colour = "blue";
    const res = await t.call("PUT", "/api/businesses/acme", bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { path: "dedupeWindow", message: expect.stringMatching(/more than a year/) },
        { path: "escalation.standard.acceptWithin", message: expect.stringMatching(/more than a year/) },
        { path: "routing.0.match.urgency.0", message: expect.stringContaining("emergency") },
        { path: "routing.0.match.leadType.0", message: expect.stringContaining("estimate") },
        { path: "team.0.phoen", message: "unknown key" },
        { path: "colour", message: "unknown key" },
      ]),
    );
    const after = await t.call("GET", "/api/businesses/acme");
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.config).toEqual(before.body.config);
  });

  test("an unknown key deep in the config is refused naming its path; nothing is created", async () => {
    const res = await put("deep", (c) => (c.escalation.urgent.acceptWithn = "5m"));
    expect(res.status).toBe(400);
    expect(pathsOf(res)).toEqual(["escalation.urgent.acceptWithn"]);
    expect((await t.call("GET", "/api/businesses/deep")).status).toBe(404);
  });

  test("a top-level $schema is allowed for editors", async () => {
    const res = await put("with-schema", (c) => (c.$schema = "../schema/business.schema.json"));
    expect(res.status).toBe(201);
    expect(res.body.config).not.toHaveProperty("$schema");
  });

  test("re-applying an unchanged config, as written or as GET shows it with masked secrets, makes no new version", async () => {
    expect((await put("same")).status).toBe(201);
    const again = await put("same");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 1, changed: false });

    const shown = await t.call("GET", "/api/businesses/same");
    expect(shown.body.config.secrets.intake).toBe("********");
    const reapplied = await t.call("PUT", "/api/businesses/same", shown.body.config);
    expect(reapplied.body).toMatchObject({ version: 1, changed: false });

    // Keys in another order and defaults written out are still the same config.
    const reordered = Object.fromEntries(Object.entries(shown.body.config).reverse());
    expect((await t.call("PUT", "/api/businesses/same", reordered)).body).toMatchObject({ version: 1, changed: false });
    expect((await t.call("GET", "/api/businesses/same")).body.versions).toHaveLength(1);

    const changed = await put("same", (c) => (c.secrets.intake = "a-new-secret"));
    expect(changed.body).toMatchObject({ version: 2, changed: true });
  });

  test("a masked secret with nothing stored behind it is refused, not silently dropped", async () => {
    const acme = await t.call("GET", "/api/businesses/acme");
    const copy = { ...acme.body.config, slug: "copied", secrets: { ...acme.body.config.secrets, intake: "copied-intake" } };
    const res = await t.call("PUT", "/api/businesses/copied", copy);
    expect(res.status).toBe(400);
    expect(pathsOf(res)).toEqual(["secrets.vapi", "secrets.retell", "secrets.bland", "secrets.twilioAuthToken"]);
    expect((await t.call("GET", "/api/businesses/copied")).status).toBe(404);
  });

  test("a business with the longest allowed windows makes leads fine", async () => {
    const res = await put("long", (c) => {
      c.dedupeWindow = "365d";
      c.escalation.standard.acceptWithin = "52w";
    });
    expect(res.status).toBe(201);
    const lead = await t.call("POST", "/api/leads", completeLead({ business: "long" }));
    expect(lead.status).toBe(201);
    expect(lead.body).toMatchObject({ state: "offered", nextActionDueAt: expect.any(String) });
    const due = new Date(lead.body.nextActionDueAt).getTime() - t.clock.now().getTime();
    expect(due).toBe(52 * 7 * 86_400_000);
  });

  test("a business stored with an overflowing duration before the bound existed still takes leads", async () => {
    await put("legacy");
    const [row] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, "legacy"));
    const config = { ...row!.config, dedupeWindow: "99999999999d", escalation: { ...row!.config.escalation, standard: { ...row!.config.escalation.standard, acceptWithin: "99999999999d" } } };
    await t.deps.db.update(businesses).set({ config }).where(eq(businesses.id, row!.id));
    const lead = await t.call("POST", "/api/leads", completeLead({ business: "legacy", phone: "+15125550177" }));
    expect(lead.status).toBe(201);
    expect(lead.body.state).toBe("offered");
  });

  test("lead dates outside 2000–2100 get 400 naming the field, and nothing is stored", async () => {
    const slug = (await put("dates")).body.slug;
    const listed = async () => (await t.call("GET", `/api/leads?business=${slug}`)).body.leads.length;
    const early = await t.call("POST", "/api/leads", completeLead({ business: slug, leadType: "estimate", followUpDate: "1999-12-31" }));
    expect(early.status).toBe(400);
    expect(early.body.error.details).toEqual([{ path: "followUpDate", message: expect.stringMatching(/between 2000 and 2100/) }]);
    const late = await t.call("POST", "/api/leads", completeLead({ business: slug, nextActionDueAt: "2101-01-01T00:00:00Z" }));
    expect(late.status).toBe(400);
    expect(pathsOf(late)).toEqual(["nextActionDueAt"]);
    expect(await listed()).toBe(0);

    const ok = await t.call("POST", "/api/leads", completeLead({ business: slug, leadType: "estimate", followUpDate: "2100-12-31" }));
    expect(ok.status).toBe(201);
    const patch = await t.call("PATCH", `/api/leads/${ok.body.id}`, { followUpDate: "9999-01-01" });
    expect(patch.status).toBe(400);
    expect(pathsOf(patch)).toEqual(["followUpDate"]);
    const patchDue = await t.call("PATCH", `/api/leads/${ok.body.id}`, { nextActionDueAt: "1969-12-31T23:59:59Z" });
    expect(patchDue.status).toBe(400);
    expect(patchDue.body.error.details).toEqual([{ path: "nextActionDueAt", message: expect.stringMatching(/between 2000 and 2100/) }]);
    const after = (await t.call("GET", `/api/leads/${ok.body.id}`)).body;
    expect(after).toMatchObject({ followUpDate: "2100-12-31", nextActionDueAt: ok.body.nextActionDueAt });
  });

  test("webhook secrets are masked when read back, kept when the mask is sent back, and a mask for a new subscription is refused", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const sub = { id: "crm", url: "https://crm.example.com/in", secret, events: ["lead.accepted"] };
    expect((await put("hooked", (c) => (c.webhooks = [sub]))).status).toBe(201);
    const shown = await t.call("GET", "/api/businesses/hooked");
    expect(shown.body.config.webhooks).toEqual([{ ...sub, secret: "********" }]);
    expect(JSON.stringify(shown.body)).not.toContain(secret);

    const reapplied = await t.call("PUT", "/api/businesses/hooked", shown.body.config);
    expect(reapplied.body).toMatchObject({ version: 1, changed: false });
    const [row] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, "hooked"));
    expect(row!.config.webhooks[0]!.secret).toBe(secret);

    const renamed = { ...shown.body.config, webhooks: [{ ...shown.body.config.webhooks[0], id: "crm2" }] };
    const refused = await t.call("PUT", "/api/businesses/hooked", renamed);
    expect(refused.status).toBe(400);
    expect(pathsOf(refused)).toEqual(["webhooks.0.secret"]);
  });
});
