import { readFileSync } from "node:fs";
import postgres from "postgres";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { businesses } from "../../src/db/schema/index.ts";
import { leadCodeSequence } from "../../src/intake/receive-lead.ts";
import { TEST_DATABASE_URL } from "../helpers/pg-database.ts";
import { describeOnBackends, useTestApp } from "../helpers/harness.ts";

// Lead codes come from a sequence per business (drizzle/0011), not from an update of the
// business row held for the whole lead transaction (issue 16): one business's intakes must not
// queue behind each other for their codes.

const lead = (phone: string) => ({
  fullName: "Dana Reyes",
  phone,
  serviceAddress: "12 Elm St, Austin, TX",
  serviceType: "plumbing",
  urgency: "standard",
  source: "website",
  summaryNotes: "Kitchen sink leaking.",
  promisedNextStep: "Call back to book a visit",
});

describeOnBackends("lead codes on $name", (backend) => {
  const t = useTestApp(backend.kind);

  it("a new business hands out 1001, 1002, … and businesses do not share a sequence", async () => {
    const a = await t.newBusiness();
    const b = await t.newBusiness();
    const codes: string[] = [];
    for (const [business, phone] of [[a, "+15125550101"], [b, "+15125550102"], [a, "+15125550103"]] as const) {
      const res = await t.call("POST", "/api/leads", { business, ...lead(phone) });
      expect(res.status).toBe(201);
      codes.push(`${business === a ? "a" : "b"}:${res.body.code}`);
    }
    expect(codes).toEqual(["a:1001", "b:1001", "a:1002"]);
  });

  it("a business that existed before the sequences goes on from its next_lead_code", async () => {
    const slug = await t.newBusiness();
    const [row] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, slug));
    // As the business was before drizzle/0011: a counter at 1234 and no sequence yet.
    await t.deps.db.execute(sql.raw(`DROP SEQUENCE ${leadCodeSequence(row!.id)}`));
    await t.deps.db.update(businesses).set({ nextLeadCode: 1234 }).where(eq(businesses.id, row!.id));
    const migration = readFileSync(new URL("../../drizzle/0011_lead_code_sequences.sql", import.meta.url), "utf8");
    const backfill = migration.split("--> statement-breakpoint").at(-1)!;
    expect(backfill).toContain("FOR b IN SELECT id, next_lead_code");
    await t.deps.db.execute(sql.raw(backfill));
    const res = await t.call("POST", "/api/leads", { business: slug, ...lead("+15125550104") });
    expect(res.body.code).toBe(1234);
  });
});

describe.skipIf(!TEST_DATABASE_URL)("lead codes under concurrency (PostgreSQL)", () => {
  const t = useTestApp("postgres");

  it("30 callers of one business at once get 30 distinct codes, 1001 to 1030", async () => {
    const business = await t.newBusiness();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.call("POST", "/api/leads", { business, ...lead(`+1512555${String(2000 + i)}`) })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    const codes = results.map((r) => r.body.code as number).sort((x, y) => x - y);
    expect(codes).toEqual(Array.from({ length: 30 }, (_, i) => 1001 + i));
  });

  it("a lead is recorded while another transaction holds its business's row", async () => {
    const business = await t.newBusiness();
    const [row] = await t.deps.db.select().from(businesses).where(eq(businesses.slug, business));
    const other = postgres(t.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holder = other.begin(async (tx) => {
        // The lock an UPDATE of the row takes (as each intake's code counter did before drizzle/0011);
        // the FK check of a lead insert takes KEY SHARE, which does not conflict with it.
        await tx`select 1 from businesses where id = ${row!.id} for no key update`;
        locked();
        await held;
      });
      await lockTaken;
      // Before drizzle/0011 this intake updated businesses.next_lead_code and waited for the holder.
      const res = await Promise.race([
        t.call("POST", "/api/leads", { business, ...lead("+15125550199") }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the intake waited on the business row")), 5_000)),
      ]);
      expect(res.status).toBe(201);
      expect(res.body.code).toBe(1001);
      release();
      await holder;
    } finally {
      await other.end({ timeout: 5 });
    }
  });
});
