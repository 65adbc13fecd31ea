import { count } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { businesses } from "../db/schema/index.ts";
import demoBusiness from "../../fixtures/demo-business.json" with { type: "json" };
import { applyBusinessConfig } from "../admin/businesses.ts";
import { onCallAt } from "../admin/on-call.ts";

/** A newcomer sees the whole flow at once: the demo business is loaded when none exists. */
export async function loadDemoIfEmpty(db: Db, now: Date): Promise<{ slug: string; onCall: string | null; dispatcher: { name: string; phone: string } | null } | null> {
  const [row] = await db.select({ n: count() }).from(businesses);
  if ((row?.n ?? 0) > 0) return null;
  const { business } = await applyBusinessConfig(db, demoBusiness, { appliedBy: "demo", now });
  const onCall = onCallAt(business.config, now).roles.on_call;
  // Who the banner suggests signing in to the console as (CONTRACT §11): the demo's dispatcher.
  const dispatcher = business.config.team.find((m) => m.roles.includes("dispatch"));
  return {
    slug: business.slug,
    onCall: onCall?.name ? `${onCall.name}${onCall.until ? ` until ${onCall.until}` : ""}` : null,
    dispatcher: dispatcher ? { name: dispatcher.name, phone: dispatcher.phone } : null,
  };
}

/**
 * What the start-up banner suggests after the demo loads: the team's side of a lead, by text,
 * signed as Twilio would sign it (docs/twilio.md walks through every step and its reply).
 */
export const DEMO_TEXTS: readonly string[] = [
  "npx handoff simulate twilio-sms fixtures/twilio/sms-owner-accept.json     # Dana: ACCEPT",
  "npx handoff simulate twilio-sms fixtures/twilio/sms-owner-next.json       # Dana: NEXT 1001 call to book tue 9am",
  "npx handoff simulate twilio-sms fixtures/twilio/sms-owner-note.json       # Dana: NOTE 1001 gate code 4411",
  "npx handoff simulate twilio-sms fixtures/twilio/sms-owner-reassign.json   # Dana: REASSIGN 1001 omar no truck nearby",
  "npx handoff simulate twilio-sms fixtures/twilio/sms-omar-accept.json      # Omar: ACCEPT 1001",
  "npx handoff simulate twilio-sms fixtures/twilio/sms-omar-done.json        # Omar: DONE 1001 booked",
];
