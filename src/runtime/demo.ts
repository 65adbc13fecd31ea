import { count } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { businesses } from "../db/schema/index.ts";
import demoBusiness from "../../fixtures/demo-business.json" with { type: "json" };
import { applyBusinessConfig } from "../admin/businesses.ts";
import { onCallAt } from "../admin/on-call.ts";

/** A newcomer sees the whole flow at once: the demo business is loaded when none exists. */
export async function loadDemoIfEmpty(db: Db, now: Date): Promise<{ slug: string; onCall: string | null } | null> {
  const [row] = await db.select({ n: count() }).from(businesses);
  if ((row?.n ?? 0) > 0) return null;
  const { business } = await applyBusinessConfig(db, demoBusiness, { appliedBy: "demo", now });
  const onCall = onCallAt(business.config, now).roles.on_call;
  return { slug: business.slug, onCall: onCall?.name ? `${onCall.name}${onCall.until ? ` until ${onCall.until}` : ""}` : null };
}
