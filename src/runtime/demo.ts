import { count } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { businesses } from "../db/schema/index.ts";
import demoBusiness from "../../fixtures/demo-business.json" with { type: "json" };
import { applyBusinessConfig } from "../admin/businesses.ts";

/** A newcomer sees the whole flow at once: the demo business is loaded when none exists. */
export async function loadDemoIfEmpty(db: Db, now: Date): Promise<string | null> {
  const [row] = await db.select({ n: count() }).from(businesses);
  if ((row?.n ?? 0) > 0) return null;
  const { business } = await applyBusinessConfig(db, demoBusiness, { appliedBy: "demo", now });
  return business.slug;
}
