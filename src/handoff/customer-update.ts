import { acceptedCustomerText } from "../domain/copy/customer-texts.ts";
import type { BusinessRow, LeadRow } from "../core/records.ts";
import { recordEvent, type Work } from "../core/transact.ts";
import { textCustomer } from "../messaging/notify.ts";

/** customerTexts.onAccept: the customer hears once who has their request (quiet hours and opt-outs apply). */
export async function tellCustomerAccepted(work: Work, business: BusinessRow, lead: LeadRow, ownerName: string): Promise<void> {
  const config = business.config;
  if (!config.customerTexts.onAccept || !lead.phone) return;
  const body = acceptedCustomerText({
    businessName: config.name,
    ownerName,
    nextAction: lead.nextAction,
    dueAt: lead.nextAction ? lead.nextActionDueAt : null,
    promisedNextStep: lead.promisedNextStep,
    timeZone: config.timezone,
    now: work.now,
  });
  const id = await textCustomer(work, business, {
    to: lead.phone,
    body,
    purpose: "customer-update",
    leadId: lead.id,
    key: `customer-accepted:${lead.id}`,
    // An acceptance answers no contact of the customer's: it always waits out quiet hours.
    lastContactAt: null,
  });
  if (id) await recordEvent(work, lead.id, "customer_updated", "system", { on: "accept", messageId: id });
}

