import { z } from "zod";

/**
 * HubSpot (CONTRACT §13): an accepted lead becomes a contact (found by phone first) and a deal in
 * this pipeline and stage; when the lead closes the deal moves to the won or lost stage. Stage
 * and pipeline are HubSpot's internal ids (Settings → Objects → Deals → Pipelines).
 */
export const hubspotSchema = z.strictObject({
  accessToken: z.string().min(1).describe("A private app's access token with crm.objects.contacts and crm.objects.deals read/write; read back as ********"),
  pipeline: z.string().min(1).default("default"),
  dealStage: z.string().min(1).default("appointmentscheduled").describe("The stage a new deal starts in"),
  wonStage: z.string().min(1).default("closedwon").describe("Where the deal goes when the lead closes booked"),
  lostStage: z.string().min(1).default("closedlost").describe("Where it goes when the lead closes lost, spam or duplicate"),
});

/** Jobber's public API; `baseUrl` replaces it (a proxy, a test double). */
export const JOBBER_API = "https://api.getjobber.com";
/** The dated GraphQL version we speak (developer.getjobber.com/docs/changelog; the newest active one as built). */
export const JOBBER_GRAPHQL_VERSION = "2025-04-16";

/**
 * Jobber (CONTRACT §13): an accepted lead becomes a client (found by phone first) and a request;
 * when the lead closes the request gets a note saying how, and is archived unless it was booked.
 * OAuth: the app's client id and secret, and a refresh token from connecting the app once. Jobber
 * rotates refresh tokens, so this one only seeds the tokens the gateway keeps in its database;
 * putting a different one here (after reconnecting the app) starts over from it.
 */
export const jobberSchema = z.strictObject({
  clientId: z.string().min(1).describe("The app's client id (Developer Center → Apps)"),
  clientSecret: z.string().min(1).describe("The app's client secret; read back as ********"),
  refreshToken: z.string().min(1).describe("A refresh token from connecting the app to the Jobber account; seeds the rotated tokens kept in the database; read back as ********"),
  baseUrl: z.url({ protocol: /^https?$/ }).optional().describe(`Defaults to ${JOBBER_API}`),
  apiVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a dated version such as 2025-04-16")
    .default(JOBBER_GRAPHQL_VERSION)
    .describe("X-JOBBER-GRAPHQL-VERSION sent with every request"),
});

/** Connectors to the tools a business already uses, each fed by the outbound events outbox. */
export const integrationsSchema = z.strictObject({ hubspot: hubspotSchema.optional(), jobber: jobberSchema.optional() }).default({});

export type HubspotConfig = z.output<typeof hubspotSchema>;
export type JobberConfig = z.output<typeof jobberSchema>;

/** The connectors there are, in the order a change's events are written for them. */
export const CONNECTORS = ["hubspot", "jobber"] as const;
export type ConnectorName = (typeof CONNECTORS)[number];

/** The events a connector acts on; each is delivered through the events outbox like a webhook's. */
export const CONNECTOR_EVENTS = ["lead.accepted", "lead.closed"] as const;

/** The subscription id a connector's deliveries carry; a colon no webhook id may hold keeps them apart. */
export const connectorId = (name: ConnectorName) => `integration:${name}` as const;

/** Shown as a connector delivery's `url`. */
export const HUBSPOT_URL = "https://api.hubapi.com";

/** Where a connector's deliveries go, shown as their `url`. */
export function connectorUrl(name: ConnectorName, integrations: { jobber?: { baseUrl?: string } }): string {
  if (name === "hubspot") return HUBSPOT_URL;
  return `${(integrations.jobber?.baseUrl ?? JOBBER_API).replace(/\/+$/, "")}/api/graphql`;
}
