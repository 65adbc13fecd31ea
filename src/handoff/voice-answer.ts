import { eq } from "drizzle-orm";
import { z } from "zod";
import { leads } from "../db/schema/index.ts";
import { acceptedReply } from "../domain/copy/command-replies.ts";
import { keypadSays, PHONE_REJECTION_REASON } from "../domain/copy/voice.ts";
import type { Deps } from "../core/deps.ts";
import { acceptLead, rejectLead, type Actor } from "./lead-actions.ts";
import { refusal } from "./refusal.ts";
import { memberById } from "../messaging/notify.ts";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import { queueMessage, transact } from "../core/transact.ts";


/** A keypress on an escalation call: `lead` and `member` come from the gather URL's query. */
export interface Keypress {
  business: BusinessRow;
  leadId: string | undefined;
  memberId: string | undefined;
  digits: string;
  callSid: string;
}

/** What the callee hears after pressing a key, and the lead it was about. */
export interface KeypressOutcome {
  spoken: string;
  leadId: string | null;
  action: "accepted" | "rejected" | "refused" | "reprompt" | "unknown_lead";
}

const isUuid = (s: string | undefined): s is string => z.uuid().safeParse(s).success;

/**
 * 1 accepts, 2 sends the lead back to intake, anything else is explained; every answer is a
 * sentence the call speaks before hanging up. Refusals (already accepted, no longer offered)
 * become spoken explanations, never a failed webhook.
 */
export async function answerKeypress(deps: Deps, input: Keypress): Promise<KeypressOutcome> {
  const { business } = input;
  const member = memberById(business.config, input.memberId ?? null);
  const lead = isUuid(input.leadId) ? await leadOf(deps, input.leadId) : null;
  if (!member || !lead || lead.businessId !== business.id) {
    return { spoken: keypadSays.unknownLead(), leadId: null, action: "unknown_lead" };
  }
  const actor: Actor = { memberId: member.id, via: "voice" };
  const code = lead.code;
  try {
    if (input.digits === "1") {
      const accepted = await acceptLead(deps, lead.id, actor);
      // The customer's number and the due time are easier to act on in writing.
      await transact(deps, (work) =>
        queueMessage(work, {
          businessId: business.id,
          leadId: lead.id,
          memberId: member.id,
          to: member.phone,
          channel: "sms",
          body: acceptedReply({
            code: accepted.code,
            customerName: accepted.fullName,
            customerPhone: accepted.phone,
            dueAt: accepted.nextActionDueAt,
            nextStep: accepted.promisedNextStep,
            timeZone: business.config.timezone,
            now: work.now,
          }),
          purpose: "reply",
          key: `gather-reply:${business.id}:${input.callSid}:1`,
        }),
      );
      return { spoken: keypadSays.accepted(code), leadId: lead.id, action: "accepted" };
    }
    if (input.digits === "2") {
      await rejectLead(deps, lead.id, actor, PHONE_REJECTION_REASON);
      return {
        spoken: keypadSays.rejected(code),
        leadId: lead.id,
        action: "rejected",
      };
    }
  } catch (err) {
    return { spoken: refusalSaid(err, lead, business, member.id), leadId: lead.id, action: "refused" };
  }
  return {
    spoken: keypadSays.reprompt(code),
    leadId: lead.id,
    action: "reprompt",
  };
}

async function leadOf(deps: Deps, id: string): Promise<LeadRow | null> {
  const [lead] = await deps.db.select().from(leads).where(eq(leads.id, id));
  return lead ?? null;
}

/** Why the keypress changed nothing, spoken. */
function refusalSaid(err: unknown, lead: LeadRow, business: BusinessRow, memberId: string): string {
  const why = refusal(err, business, memberId);
  if (why.kind === "already-yours") return keypadSays.alreadyYours(lead.code);
  if (why.kind === "accepted-by-other") return keypadSays.alreadyAccepted(lead.code, why.name);
  // A 2 on a lead accepted meanwhile: the error names no owner, so it says "someone else".
  if (why.kind === "accepted-meanwhile") return keypadSays.alreadyAccepted(lead.code, "someone else");
  return keypadSays.notWaiting(lead.code);
}
