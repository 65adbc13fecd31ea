/**
 * A complete generic-intake submission (CONTRACT §4 `/intake`) for caller `n`: its own phone and
 * external id, so each one makes its own lead, offered at once to the demo's dispatcher.
 */
export function completeIntake(n: number, tag: string): string {
  const line = String(n % 10_000).padStart(4, "0");
  return JSON.stringify({
    externalId: `${tag}-${n}`,
    source: "website",
    channel: "intake_api",
    fields: {
      fullName: `Caller ${n} Doe`,
      phone: `+1512555${line}`,
      serviceAddress: `${100 + n} Elm St, Austin TX 78701`,
      serviceType: "plumbing",
      urgency: "standard",
      leadType: "service",
      summaryNotes: "Kitchen sink leaking under the cabinet",
      promisedNextStep: "Call back to book a visit",
    },
  });
}
