import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { optOuts } from "../db/schema/index.ts";
import { parseSmsCommand } from "../domain/sms-command.ts";
import type { Deps } from "../core/deps.ts";
import type { BusinessRow } from "../core/records.ts";
import { transact } from "../core/transact.ts";

/** What an inbound text means for the sender's texting consent, if anything. */
export type OptChange = { optedOut: boolean; keyword: string } | null;

/**
 * STOP or START in a text. Twilio's `OptOutType` (Advanced Opt-Out) decides when present; without
 * it, the standard long-code keywords count only as the whole message, the way Twilio applies them
 * ("STOP" opts out, "stop calling me" does not). HELP is no change of consent.
 */
export function optChangeOf(optOutType: string | undefined, body: string): OptChange {
  const type = optOutType?.trim().toUpperCase();
  if (type === "STOP") return { optedOut: true, keyword: "STOP" };
  if (type === "START") return { optedOut: false, keyword: "START" };
  if (type) return null;
  const command = parseSmsCommand(body);
  if (command.kind === "stop") return { optedOut: true, keyword: body.trim().toUpperCase() };
  if (command.kind === "start") return { optedOut: false, keyword: body.trim().toUpperCase() };
  return null;
}

/**
 * STOP or START in this text, if it changes consent. Twilio's OptOutType decides when present;
 * otherwise a bare opt-in word ("yes", "start") counts only from a number that is opted out: from
 * anyone else "yes" is an ordinary answer, to a text-back for instance.
 */
export async function consentChange(db: Executor, businessId: string, phone: string, text: { optOutType?: string; body: string }): Promise<OptChange> {
  const change = optChangeOf(text.optOutType, text.body);
  if (!change || change.optedOut || text.optOutType) return change;
  return (await optOutOf(db, businessId, phone))?.optedOut ? change : null;
}

/** The number's current opt-out row for this business, if it ever sent STOP or START. */
export async function optOutOf(db: Executor, businessId: string, phone: string) {
  const [row] = await db.select().from(optOuts).where(and(eq(optOuts.businessId, businessId), eq(optOuts.phone, phone)));
  return row ?? null;
}

/**
 * Records STOP or START for a number. Nothing is texted to an opted-out number (the outbox checks
 * this row before every SMS); no reply is queued here, since Twilio confirms STOP and START itself.
 * Returns whether the number was opted out before this text.
 */
export async function recordOptChange(
  deps: Deps,
  input: { business: BusinessRow; phone: string; change: NonNullable<OptChange> },
): Promise<{ wasOptedOut: boolean }> {
  return transact(deps, async ({ tx, now }) => {
    const before = await optOutOf(tx, input.business.id, input.phone);
    // A repeated STOP is no new episode: keep its time, which keys the manager's one notice.
    if (before && before.optedOut === input.change.optedOut) return { wasOptedOut: before.optedOut };
    const values = { optedOut: input.change.optedOut, keyword: input.change.keyword, updatedAt: now };
    await tx
      .insert(optOuts)
      .values({ businessId: input.business.id, phone: input.phone, ...values })
      .onConflictDoUpdate({ target: [optOuts.businessId, optOuts.phone], set: values });
    return { wasOptedOut: before?.optedOut ?? false };
  });
}
