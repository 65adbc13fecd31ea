import { asc } from "drizzle-orm";
import { businesses } from "../db/schema/index.ts";
import type { BusinessRow } from "../core/records.ts";
import { loadBusiness } from "../admin/businesses.ts";
import type { ConsoleContext } from "./console-env.ts";

/**
 * The business a page shows: a member's own (a `business` in the URL cannot change it); for the
 * operator the `business` query's (404 when unknown), else `fallback` ("first" or none).
 */
export async function businessOf(c: ConsoleContext, fallback: "first" | "none"): Promise<BusinessRow | null> {
  const { viewer, deps } = c.var;
  if (!viewer.operator) return viewer.business;
  const slug = c.req.query("business");
  if (slug) return loadBusiness(deps.db, slug.slice(0, 100));
  if (fallback === "none") return null;
  const [first] = await deps.db.select().from(businesses).orderBy(asc(businesses.slug)).limit(1);
  return first ?? null;
}

/** Every business, for the operator's picker. */
export async function allBusinesses(c: ConsoleContext) {
  const rows = await c.var.deps.db.select({ slug: businesses.slug, config: businesses.config }).from(businesses).orderBy(asc(businesses.slug));
  return rows.map((r) => ({ slug: r.slug, name: r.config.name }));
}
