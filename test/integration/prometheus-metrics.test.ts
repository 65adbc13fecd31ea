import { expect, test } from "vitest";
import { createApp } from "../../src/app.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";
import { ADMIN_TOKEN, completeLead } from "../helpers/test-app.ts";

const SCRAPE = "scraper-token";

describeOnBackends("GET /metrics for Prometheus on $name", ({ kind }) => {
  const t = useTestApp(kind);
  const scrape = (token?: string) =>
    createApp(t.deps, { prometheus: { token: SCRAPE } }).request("/metrics", { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test("counts offers, acceptances and escalations per business, and a time-to-accept histogram", async () => {
    const slug = await t.newBusiness();
    t.clock.set("2026-11-23T15:00:00Z");
    const a = (await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550801" }))).body;
    const b = (await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550802" }))).body;
    await t.call("POST", "/api/leads", completeLead({ business: slug, phone: "+15125550803" }));
    t.clock.set("2026-11-23T15:04:00Z");
    await t.call("POST", `/api/leads/${a.id}/accept`, { memberId: a.ownerId });
    t.clock.set("2026-11-23T15:40:00Z");
    await t.call("POST", `/api/leads/${b.id}/accept`, { memberId: b.ownerId });
    await t.settle();

    const res = await scrape(SCRAPE);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    const lines = text.trimEnd().split("\n");
    // Every sample line is `name{labels} value`; every family has its HELP and TYPE.
    for (const line of lines.filter((l) => !l.startsWith("#"))) expect(line).toMatch(/^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+]+$/);
    expect(lines).toContain("# TYPE handoff_time_to_accept_seconds histogram");
    expect(lines).toContain(`handoff_leads_offered_total{business="${slug}"} 3`);
    expect(lines).toContain(`handoff_leads_accepted_total{business="${slug}"} 2`);
    expect(lines).toContain(`handoff_leads_created_total{business="${slug}"} 3`);
    // 4 min and 40 min: one in the 300 s bucket and above, both by 3600 s.
    expect(lines).toContain(`handoff_time_to_accept_seconds_bucket{business="${slug}",le="120"} 0`);
    expect(lines).toContain(`handoff_time_to_accept_seconds_bucket{business="${slug}",le="300"} 1`);
    expect(lines).toContain(`handoff_time_to_accept_seconds_bucket{business="${slug}",le="1800"} 1`);
    expect(lines).toContain(`handoff_time_to_accept_seconds_bucket{business="${slug}",le="3600"} 2`);
    expect(lines).toContain(`handoff_time_to_accept_seconds_bucket{business="${slug}",le="+Inf"} 2`);
    expect(lines).toContain(`handoff_time_to_accept_seconds_sum{business="${slug}"} 2640`);
    expect(lines).toContain(`handoff_time_to_accept_seconds_count{business="${slug}"} 2`);
    // The offers were texted (dry-run): the send outcomes say so.
    expect(lines).toContain(`handoff_messages{business="${slug}",channel="sms",status="dry-run"} 3`);
    expect(text).toContain("# TYPE handoff_webhooks_rejected_total counter");
  });

  test("needs METRICS_TOKEN or ADMIN_TOKEN; anything else is 401", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("wrong")).status).toBe(401);
    expect((await scrape(ADMIN_TOKEN)).status).toBe(200);
    // Not served at all without the option (Workers).
    expect((await t.app.request("/metrics", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(404);
  });
});
