import { z } from "zod";

export const URGENCIES = ["emergency", "active_loss", "standard", "low"] as const;
export const LEAD_TYPES = ["service", "estimate", "consult"] as const;
export const OPPORTUNITIES = ["premium", "standard"] as const;
export const FITS = ["good", "poor", "unknown"] as const;
export const CHANNELS = ["vapi", "retell", "bland", "intake_api", "twilio_voice", "twilio_sms", "manual"] as const;
export const STATES = ["intake", "offered", "accepted", "closed"] as const;
/** The states a lead is still being worked in: everything but closed. */
export const OPEN_STATES = ["intake", "offered", "accepted"] as const satisfies readonly (typeof STATES)[number][];
export const OUTCOMES = ["booked", "lost", "spam", "duplicate"] as const;

export type Urgency = (typeof URGENCIES)[number];
export type LeadType = (typeof LEAD_TYPES)[number];

/**
 * What each urgency means, in the SOP's terms (emergency and active loss escalate to on-call at
 * once): what the LLM extractor is told, and what the offline extractor's urgency words follow.
 */
export const URGENCY_MEANINGS: Record<Urgency, string> = {
  emergency: "a safety hazard: a gas smell, sparking or a burning smell, smoke, no heat in freezing weather",
  active_loss: "water or sewage actively damaging the property right now (flooding, a burst pipe, sewage backing up, water through a ceiling)",
  standard: "a problem that needs service but is not doing damage or endangering anyone",
  low: "the caller says there is no rush (not urgent, whenever is convenient)",
};
export type LeadState = (typeof STATES)[number];
export type Channel = (typeof CHANNELS)[number];
export type Opportunity = (typeof OPPORTUNITIES)[number];
export type Fit = (typeof FITS)[number];
export type Outcome = (typeof OUTCOMES)[number];

/** Whether a state someone typed (a CLI filter) is one of STATES. */
export const isLeadState = (value: string): value is LeadState => (STATES as readonly string[]).includes(value);

/** Whether a closing outcome someone typed is one of OUTCOMES. */
export const isOutcome = (value: string): value is Outcome => (OUTCOMES as readonly string[]).includes(value);

/** The fields intake fills; what an owner needs so they never re-ask the customer. */
export interface LeadFields {
  fullName: string | null;
  phone: string | null;
  serviceAddress: string | null;
  market: string | null;
  serviceType: string | null;
  urgency: Urgency | null;
  source: string | null;
  summaryNotes: string | null;
  promisedNextStep: string | null;
  leadType: LeadType;
  opportunity: Opportunity;
  fit: Fit;
  referralContext: string | null;
  followUpDate: string | null;
}

export type LeadFieldName = keyof LeadFields;

/** A lead's fields before intake says anything: empty, with the default kind, opportunity and fit. */
export const EMPTY_FIELDS: Readonly<LeadFields> = Object.freeze({
  fullName: null, phone: null, serviceAddress: null, market: null, serviceType: null, urgency: null,
  source: null, summaryNotes: null, promisedNextStep: null, referralContext: null, followUpDate: null,
  leadType: "service", opportunity: "standard", fit: "unknown",
});

/** The fields that hold a value. */
export const stripNulls = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

/** A new lead's fields: what the intake gave, the rest from EMPTY_FIELDS. */
export function withDefaults(fields: Partial<LeadFields>): LeadFields {
  return { ...EMPTY_FIELDS, ...stripNulls(fields) };
}

/** Which source produced each field: "api", "vapi", "extractor:openai", "heuristic"… */
export type FieldSources = Partial<Record<LeadFieldName, string>>;

/** A note added to a lead after intake (NOTE, POST /api/leads/:id/notes): who wrote it and when. */
export interface LeadNote {
  at: string;
  /** A member id, or "api". */
  by: string;
  text: string;
}

/**
 * The outcomes a close may name: the four every business has, then its own (config `outcomes`).
 * Matched case-insensitively; returns the outcome as the business spells it, or null.
 */
export function outcomeOf(outcome: string, own: readonly { id: string }[] = []): string | null {
  const wanted = outcome.trim().toLowerCase();
  return [...OUTCOMES, ...own.map((o) => o.id)].find((o) => o.toLowerCase() === wanted) ?? null;
}

export interface Rejection {
  reason: string;
  by: string;
  at: string;
}

/** A lead as the domain sees it: fields plus the handoff state. */
export interface Lead extends LeadFields {
  id: string;
  code: number;
  state: LeadState;
  channel: Channel;
  ownerId: string | null;
  nextActionDueAt: Date | null;
  offeredTo: string[];
  escalationLevel: number;
  rejections: Rejection[];
  missingFields: string[];
  createdAt: Date;
  offeredAt: Date | null;
  acceptedAt: Date | null;
}

/**
 * The SOP's required record fields (before owner and due time, which routing sets), in the
 * order an intake person would fill them. `serviceAddress` or `market` satisfies "address".
 */
export const REQUIRED_FIELDS = [
  "fullName",
  "phone",
  "serviceAddress",
  "serviceType",
  "urgency",
  "source",
  "summaryNotes",
  "promisedNextStep",
] as const;

const present = (v: string | null | undefined) => typeof v === "string" && v.trim() !== "";

/**
 * Names of required fields still absent, per the SOP: estimate and consult leads also need a
 * follow-up date; referral leads must keep the referral context.
 */
export function missingFields(fields: LeadFields): string[] {
  const missing: string[] = [];
  for (const name of REQUIRED_FIELDS) {
    if (name === "serviceAddress") {
      if (!present(fields.serviceAddress) && !present(fields.market)) missing.push("serviceAddress");
    } else if (!present(fields[name])) {
      missing.push(name);
    }
  }
  if ((fields.leadType === "estimate" || fields.leadType === "consult") && !present(fields.followUpDate)) {
    missing.push("followUpDate");
  }
  if (fields.source === "referral" && !present(fields.referralContext)) missing.push("referralContext");
  return missing;
}

/** Emergency work cannot sit unowned: these go to on-call at once, complete or not. */
export function isEmergency(urgency: Urgency | null): boolean {
  return urgency === "emergency" || urgency === "active_loss";
}

/** Sources are free text from many tools; store them in one spelling ("Google Ads" → google_ads). */
export function normalizeSource(source: string): string {
  return source
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

export const isoDate = z.iso.date();
