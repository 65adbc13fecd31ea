import { FITS, LEAD_TYPES, OPPORTUNITIES, URGENCIES, normalizeSource, type LeadFieldName, type LeadFields } from "./lead.ts";
import { MAX_YEAR, MIN_YEAR, yearInBounds } from "./date-bounds.ts";
import { toE164 } from "./phone.ts";

/**
 * Provider keys (normalised: lowercase, letters and digits only) that mean one of our fields
 * when the business's `fieldMap` does not say otherwise. Our own names are included so the
 * generic intake's `fields` and the LLM's answer pass through the same validation.
 */
const DEFAULT_ALIASES: Record<LeadFieldName, string[]> = {
  fullName: ["fullname", "name", "callername", "customername", "contactname", "clientname", "customerfullname"],
  phone: ["phone", "phonenumber", "callbacknumber", "callbackphone", "callback", "customerphone", "customernumber", "contactnumber", "contactphone", "bestnumber", "callerphone"],
  serviceAddress: ["serviceaddress", "address", "streetaddress", "propertyaddress", "customeraddress", "jobaddress"],
  market: ["market", "city", "servicearea"],
  serviceType: ["servicetype", "issuetype", "problem", "problemtype", "jobtype", "servicecategory", "service"],
  urgency: ["urgency", "priority", "urgencylevel"],
  source: ["source", "leadsource"],
  summaryNotes: ["summarynotes", "summary", "notes", "callsummary", "problemdescription", "issuedescription"],
  promisedNextStep: ["promisednextstep", "nextstep", "nextaction"],
  leadType: ["leadtype", "requesttype"],
  opportunity: ["opportunity"],
  fit: ["fit"],
  referralContext: ["referralcontext", "referral", "referredby", "referrer"],
  followUpDate: ["followupdate", "followup"],
};

const ALIAS_INDEX = new Map<string, LeadFieldName>(
  Object.entries(DEFAULT_ALIASES).flatMap(([field, keys]) => keys.map((key) => [key, field as LeadFieldName] as const)),
);

/** The lead fields a business's `fieldMap` may name. */
export const MAPPABLE_FIELDS = Object.keys(DEFAULT_ALIASES) as [LeadFieldName, ...LeadFieldName[]];

const FIELD_NAMES = new Set<string>(MAPPABLE_FIELDS);

/** Values an agent's analysis writes when it did not hear something; they mean "absent". */
const PLACEHOLDERS = new Set(["unknown", "n/a", "na", "none", "null", "nil", "-", "not provided", "not given", "not mentioned", "not specified", "not stated"]);

/** Spellings a provider may use for an enum value, beyond case and spacing. */
const ENUM_SYNONYMS: Record<string, string> = { normal: "standard", routine: "standard", quote: "estimate", consultation: "consult" };

type Normalized = { ok: true; value: unknown } | { ok: false; reason: string } | { ok: "absent" };

/** Lowercase with only letters and digits, so "Caller Name", "caller_name" and "callerName" match. */
function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Nested objects flattened to dotted keys ({ customer: { name } } → "customer.name"). */
function flatten(data: Record<string, unknown>, prefix = ""): [string, unknown][] {
  return Object.entries(data).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? flatten(value as Record<string, unknown>, path)
      : [[path, value] as [string, unknown]];
  });
}

function asText(value: unknown): Normalized {
  if (value === null || value === undefined) return { ok: "absent" };
  if (typeof value === "number" && Number.isFinite(value)) return { ok: true, value: String(value) };
  if (typeof value !== "string") return { ok: false, reason: `expected text, got ${Array.isArray(value) ? "a list" : typeof value}` };
  const cleaned = value.replace(/\s+/g, " ").trim();
  if (cleaned === "" || PLACEHOLDERS.has(cleaned.toLowerCase())) return { ok: "absent" };
  return { ok: true, value: cleaned };
}

function asEnum(allowed: readonly string[]) {
  return (value: unknown): Normalized => {
    if (typeof value === "string" && allowed.includes(value.trim().toLowerCase())) return { ok: true, value: value.trim().toLowerCase() };
    const text = asText(value);
    if (text.ok !== true) return text;
    const key = String(text.value).toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
    const candidate = ENUM_SYNONYMS[key] ?? key;
    return allowed.includes(candidate) ? { ok: true, value: candidate } : { ok: false, reason: `"${text.value}" is not one of ${allowed.join(", ")}` };
  };
}

function asPhone(value: unknown): Normalized {
  const text = asText(value);
  if (text.ok !== true) return text;
  const e164 = toE164(String(text.value));
  return e164 ? { ok: true, value: e164 } : { ok: false, reason: `"${text.value}" is not a valid phone number` };
}

function asSource(value: unknown): Normalized {
  const text = asText(value);
  if (text.ok !== true) return text;
  const source = normalizeSource(String(text.value));
  return source ? { ok: true, value: source } : { ok: false, reason: `"${text.value}" is not a source` };
}

function asDate(value: unknown): Normalized {
  const text = asText(value);
  if (text.ok !== true) return text;
  const date = toIsoDate(String(text.value));
  if (!date) return { ok: false, reason: `"${text.value}" is not a calendar date` };
  // A provider is never refused (that loses the call); a date out of range is just left out.
  if (!yearInBounds(date)) return { ok: false, reason: `"${text.value}" is not between ${MIN_YEAR} and ${MAX_YEAR}` };
  return { ok: true, value: date };
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * YYYY-MM-DD for a date written as 2025-06-12 (or an ISO timestamp, whose written date is kept),
 * 6/12/2025 (US order) or "June 12, 2025"; null for anything else, including impossible dates.
 */
export function toIsoDate(input: string): string | null {
  const s = input.trim();
  let y: number, m: number, d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])/.exec(s))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/.exec(s))) {
    [m, d, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (y < 100) y += 2000;
  } else if ((match = /^(?:[a-z]+,?\s+)?([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i.exec(s))) {
    m = MONTHS.indexOf(match[1]!.toLowerCase()) + 1;
    [d, y] = [Number(match[2]), Number(match[3])];
    if (m === 0) return null;
  } else {
    return null;
  }
  return isoDateOf(y, m, d);
}

/** YYYY-MM-DD when year, month and day form a real date, else null. */
export function isoDateOf(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const NORMALIZERS: Record<LeadFieldName, (value: unknown) => Normalized> = {
  fullName: asText,
  phone: asPhone,
  serviceAddress: asText,
  market: asText,
  serviceType: asText,
  urgency: asEnum(URGENCIES),
  source: asSource,
  summaryNotes: asText,
  promisedNextStep: asText,
  leadType: asEnum(LEAD_TYPES),
  opportunity: asEnum(OPPORTUNITIES),
  fit: asEnum(FITS),
  referralContext: asText,
  followUpDate: asDate,
};

/**
 * Lead fields from a provider's structured data: keys the business mapped in `fieldMap` first,
 * then default aliases. Every value is validated (E.164 phone, enum, calendar date, source
 * spelling); a value that fails is left out and described in `invalid`. Nothing is invented,
 * except that a named referrer with no source given means the source is a referral.
 */
export function mapStructuredData(
  data: Record<string, unknown>,
  fieldMap: Record<string, string> = {},
): { fields: Partial<LeadFields>; invalid: string[] } {
  const mapped = new Map(Object.entries(fieldMap).map(([key, field]) => [normalizeKey(key), field]));
  const explicit: [string, string, unknown][] = [];
  const aliased: [string, string, unknown][] = [];
  for (const [key, value] of flatten(data)) {
    const byMap = fieldMap[key] ?? mapped.get(normalizeKey(key));
    if (byMap !== undefined) explicit.push([key, byMap, value]);
    else {
      const alias = ALIAS_INDEX.get(normalizeKey(key));
      if (alias) aliased.push([key, alias, value]);
    }
  }

  const fields: Record<string, unknown> = {};
  const invalid: string[] = [];
  // Explicit mappings are processed first so they win over an alias naming the same field.
  for (const [key, field, value] of [...explicit, ...aliased]) {
    if (!FIELD_NAMES.has(field)) {
      invalid.push(`${key}: fieldMap names "${field}", which is not a lead field`);
      continue;
    }
    if (field in fields) continue;
    const result = NORMALIZERS[field as LeadFieldName](value);
    if (result.ok === true) fields[field] = result.value;
    else if (result.ok === false) invalid.push(`${field} (from ${key}): ${result.reason}`);
  }
  if (fields.referralContext && !fields.source) fields.source = "referral";
  return { fields: fields as Partial<LeadFields>, invalid };
}
