/**
 * Notices to team members about leads they did not ask about: one voice with the command
 * replies (command-replies.ts). A customer's own words may take two segments.
 */
import { fitIn, sentence } from "./sms-fit.ts";

/** To intake: a lead came back from its owner with what is missing. */
export function intakeRejectedNotice(n: { code: number; customerName?: string | null; reason: string; rejectedBy: string }): string {
  const head = `Lead ${n.code}${n.customerName ? ` (${n.customerName})` : ""} came back from ${n.rejectedBy}: `;
  return fitIn((r) => `${head}${sentence(r)} Please fill it in.`, n.reason);
}

/** To everyone else the lead was offered to: the first ACCEPT won, nothing left to do. */
export function takenNotice({ code, acceptedBy }: { code: number; acceptedBy: string }): string {
  return `Lead ${code} was taken by ${acceptedBy}. No action needed.`;
}

/**
 * To the owner: the customer texted back. Up to two segments, since the customer's own words
 * are the point (and an emoji makes a segment only 70 characters); the full text is on the lead.
 */
export function customerReplyNotice(n: { code: number; customerName?: string | null; customerPhone?: string | null; text: string }): string {
  const who = n.customerName ?? n.customerPhone;
  const head = `Lead ${n.code}${who ? ` (${who})` : ""} texted: "`;
  return fitIn((t) => `${head}${t}"`, n.text, 2);
}

/** To the manager: a team member opted out of texts, so offers reach them by call. */
export function memberOptedOutNotice({ memberName }: { memberName: string }): string {
  return `${memberName} replied STOP, so lead offers will reach them by phone call. Ask them to text START to get texts again.`;
}
