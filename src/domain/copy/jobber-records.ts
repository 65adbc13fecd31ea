/**
 * What the Jobber connector writes where the team reads it in Jobber: a new client's name, the
 * request's title and its notes. Not SMS: no segment budget, but short and plain.
 */

/** A lead's name as Jobber's first and last name; a lead without one is named by its code. */
export function jobberClientName(fullName: string | null, code: number): { firstName: string; lastName?: string } {
  const [first, ...rest] = (fullName ?? "").trim().split(/\s+/).filter(Boolean);
  if (!first) return { firstName: "Handoff lead", lastName: `#${code}` };
  return rest.length ? { firstName: first, lastName: rest.join(" ") } : { firstName: first };
}

/**
 * The request's title. It carries the lead's code, unique in the business, so a retry whose
 * earlier answer was lost finds the request it made by its title instead of making another.
 */
export function jobberRequestTitle(serviceType: string | null, code: number): string {
  const what = serviceType?.trim() ? serviceType.trim().charAt(0).toUpperCase() + serviceType.trim().slice(1) : "Service request";
  return `${what} (Handoff #${code})`.slice(0, 255);
}

/** The request's first note: what intake learned, so nobody asks the caller again. Null when there is nothing to say. */
export function jobberSummaryNote(lead: { summaryNotes: string | null; promisedNextStep?: string | null; urgency?: string | null; source?: string | null }): string | null {
  const lines = [
    lead.summaryNotes?.trim(),
    lead.promisedNextStep?.trim() && `Promised next step: ${lead.promisedNextStep.trim()}`,
    lead.urgency && `Urgency: ${lead.urgency}`,
    lead.source && `Source: ${lead.source}`,
  ].filter(Boolean);
  return lines.length ? lines.join("\n") : null;
}

/** The note a closed lead leaves on its request: the outcome, and what that means for the request. */
export function jobberClosedNote(outcome: string | null, archived: boolean): string {
  return `Closed in Handoff as ${outcome ?? "closed"}.${archived ? " The request is archived." : ""}`;
}
