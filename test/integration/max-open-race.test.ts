import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import type { DbHandle } from "../../src/db/client.ts";
import { connectPostgres } from "../../src/db/postgres.ts";
import { businesses, leads } from "../../src/db/schema/index.ts";
import { useTestApp } from "../helpers/harness.ts";
import { ADMIN_TOKEN, completeLead } from "../helpers/test-app.ts";
import { TEST_DATABASE_URL } from "../helpers/pg-database.ts";
import { waitFor } from "../helpers/wait-for.ts";

// maxOpen must hold when routings of one business run at the same moment (CONTRACT §10): each
// counts the open leads of the team in its own transaction, so two that count before either
// commits would both give a member their last slot. Only real PostgreSQL runs transactions
// concurrently (PGlite has one connection), so this suite runs there alone.
//
// New leads of a business are already serialised by their lead-code counter (a row lock on the
// business), so the routings that can race are those of leads that already exist: here, leads
// first recorded incomplete and then completed by a second intake of the same caller, which
// routes them. A barrier holds every lead row locked while the completions arrive through two
// apps on two pools; once all of them wait on it, it lets go, and all route at once.
describe.skipIf(!TEST_DATABASE_URL)("routings at once under maxOpen (PostgreSQL)", () => {
  const t = useTestApp("postgres");
  const LEADS = 12;
  const pools: DbHandle[] = [];
  let barrier: DbHandle;
  beforeAll(() => {
    for (let i = 0; i < 2; i++) pools.push(connectPostgres(t.databaseUrl!, { max: LEADS / 2 }));
    barrier = connectPostgres(t.databaseUrl!, { max: 1 });
  });
  afterAll(async () => {
    await Promise.all([...pools, barrier].map((pool) => pool?.close()));
  });

  const post = async (app: ReturnType<typeof createApp>, body: unknown) => {
    const res = await app.request("/api/leads", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  };

  it("twelve leads completed at once through two apps: no member gets more open leads than maxOpen, 3 of 3 rounds", async () => {
    t.clock.set("2026-11-24T15:00:00Z"); // Tue 09:00 in Chicago: everyone is working
    const apps = pools.map((pool) => createApp({ ...t.deps, db: pool.db }));
    for (let round = 0; round < 3; round++) {
      // Standard leads go to dispatch (dana, lee), then the manager (mia): three slots in all.
      const slug = await t.newBusiness((c) => {
        c.team[0]!.maxOpen = 1;
        c.team[2]!.maxOpen = 1;
        c.team.push({ id: "lee", name: "Lee Park", phone: "+15125550116", roles: ["dispatch"], maxOpen: 1 });
      });
      const phones = Array.from({ length: LEADS }, (_, i) => `+1512556${String(round * 100 + i).padStart(4, "0")}`);
      // Recorded without a next step: incomplete, so nobody is offered them yet.
      for (const phone of phones) await post(t.app, { ...completeLead({ business: slug, phone }), promisedNextStep: undefined });
      const [business] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug));
      const leadsOf = () => t.deps.db.select().from(leads).where(eq(leads.businessId, business!.id));
      expect((await leadsOf()).map((l) => l.state)).toEqual(Array(LEADS).fill("intake"));

      let completions: Promise<void>[] = [];
      await barrier.db.transaction(async (tx) => {
        await tx.select({ id: leads.id }).from(leads).where(eq(leads.businessId, business!.id)).for("update");
        completions = phones.map((phone, i) => post(apps[i % apps.length]!, completeLead({ business: slug, phone })));
        completions.forEach((c) => c.catch(() => {})); // awaited once the barrier has let go
        // Every completion is inside its transaction, waiting on its lead's row lock. Asked on
        // another connection: a transaction sees pg_stat_activity as it was when first read.
        await waitFor(
          async () => {
            const rows = (await t.deps.db.execute(
              sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
            )) as unknown as { n: number }[];
            return rows[0]!.n === LEADS;
          },
          10_000,
          `${LEADS} completions waiting on the barrier`,
          20,
        );
      });
      await Promise.all(completions);
      await t.settle();

      const rows = await leadsOf();
      expect(rows).toHaveLength(LEADS); // completed, not made anew
      const open = rows.filter((l) => l.state === "offered" || l.state === "accepted");
      const perOwner = Object.fromEntries(["dana", "lee", "mia"].map((id) => [id, open.filter((l) => l.ownerId === id).length]));
      expect(perOwner, `round ${round}`).toEqual({ dana: 1, lee: 1, mia: 1 });
      expect(rows.filter((l) => l.state === "intake")).toHaveLength(LEADS - 3);
    }
  });
});
