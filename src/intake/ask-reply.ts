import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { customerAsks } from "../db/schema/index.ts";
import { ANSWER_SOURCE, answerFor, isAskable } from "../domain/ask-customer.ts";
import type { FieldSources, LeadFields } from "../domain/lead.ts";

/** The open question a caller's text answers (CONTRACT §15): the lead asked about and the field expected. */
export interface OpenQuestion {
  leadId: string;
  field: string;
}

/** The question this number was asked by text and has not finished answering, if any. */
export async function openQuestionTo(db: Executor, businessId: string, phone: string): Promise<OpenQuestion | null> {
  const [row] = await db
    .select({ leadId: customerAsks.leadId, field: customerAsks.field })
    .from(customerAsks)
    .where(and(eq(customerAsks.businessId, businessId), eq(customerAsks.phone, phone), eq(customerAsks.status, "open"), eq(customerAsks.channel, "sms")))
    .orderBy(desc(customerAsks.createdAt))
    .limit(1);
  return row ?? null;
}

/**
 * The reply read with the question's field as the expected one: when extraction found nothing
 * for it, the reply itself is the answer if it fits ("4821 W 38th" to an address question fills
 * serviceAddress without a street suffix). An address question is answered by a market too.
 */
export function withExpectedAnswer(
  extracted: { fields: Partial<LeadFields>; sources: FieldSources },
  question: OpenQuestion,
  reply: string,
): { fields: Partial<LeadFields>; sources: FieldSources } {
  const field = question.field;
  if (!isAskable(field)) return extracted;
  const found = extracted.fields[field] ?? (field === "serviceAddress" ? extracted.fields.market : undefined);
  if (found) return extracted;
  const value = answerFor(field, reply);
  if (!value) return extracted;
  return { fields: { ...extracted.fields, [field]: value }, sources: { ...extracted.sources, [field]: ANSWER_SOURCE } };
}

/** The lead an AI callback was placed for (CONTRACT §15), matched by the provider's call id. */
export async function leadOfAskCall(db: Executor, businessId: string, callId: string): Promise<string | null> {
  const [row] = await db
    .select({ leadId: customerAsks.leadId })
    .from(customerAsks)
    .where(and(eq(customerAsks.businessId, businessId), eq(customerAsks.callId, callId)))
    .limit(1);
  return row?.leadId ?? null;
}
