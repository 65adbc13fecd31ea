/**
 * A complete generic-intake submission (CONTRACT §4 `/intake`) for caller `n`: its own phone and
 * external id, so each one makes its own lead, offered at once to the demo's dispatcher. With
 * `viaTranscript` the promised next step is only in the transcript, so the extractor is called
 * (and the offline heuristic finds it when the LLM fails).
 */
export function completeIntake(n: number, tag: string, opts: { viaTranscript?: boolean } = {}): string {
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
      ...(!opts.viaTranscript && { promisedNextStep: "Call back to book a visit" }),
    },
    ...(opts.viaTranscript && {
      transcript: "Receptionist: Acme Plumbing, how can I help?\nCaller: The kitchen sink is leaking under the cabinet.\nReceptionist: Got it, someone will call you back shortly to book a visit.",
    }),
  });
}
