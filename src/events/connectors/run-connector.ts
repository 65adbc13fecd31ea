import type { Deps } from "../../core/deps.ts";
import type { DeliveryRow } from "../../core/event-claim.ts";
import type { BusinessConfig } from "../../domain/business-config.ts";
import { connectorId, CONNECTORS, type ConnectorName } from "../../domain/integrations-config.ts";
import type { ConnectorLimits, ConnectorResult } from "./connector-links.ts";
import { syncHubspot } from "./hubspot-sync.ts";
import { syncJobber } from "./jobber-sync.ts";

/** The connector a delivery's subscription id names, or null for a webhook. */
export function connectorOf(webhookId: string): ConnectorName | null {
  return CONNECTORS.find((name) => connectorId(name) === webhookId) ?? null;
}

/**
 * One attempt of a connector delivery with the connector as configured now; null when the
 * business no longer configures it (the delivery then fails at once, as a removed webhook's does).
 */
export async function runConnector(deps: Deps, name: ConnectorName, row: DeliveryRow, config: BusinessConfig | undefined, limits: ConnectorLimits): Promise<ConnectorResult | null> {
  const integrations = config?.integrations;
  if (name === "hubspot") return integrations?.hubspot ? syncHubspot(deps, row, integrations.hubspot, limits) : null;
  return integrations?.jobber ? syncJobber(deps, row, integrations.jobber, limits) : null;
}
