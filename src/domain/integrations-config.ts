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

/** Connectors to the tools a business already uses, each fed by the outbound events outbox. */
export const integrationsSchema = z.strictObject({ hubspot: hubspotSchema.optional() }).default({});

export type HubspotConfig = z.output<typeof hubspotSchema>;

/** The events a connector acts on; each is delivered through the events outbox like a webhook's. */
export const CONNECTOR_EVENTS = ["lead.accepted", "lead.closed"] as const;

/** The subscription id a connector's deliveries carry; a colon no webhook id may hold keeps them apart. */
export const connectorId = (name: "hubspot") => `integration:${name}` as const;

/** Shown as a connector delivery's `url`. */
export const HUBSPOT_URL = "https://api.hubapi.com";
